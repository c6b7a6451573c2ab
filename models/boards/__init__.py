"""Ethics Boards: roster, quorum and vote count, hearings and decisions."""
