"""Cases: filing and registration, assignment, who may see and act, effects, read models."""
