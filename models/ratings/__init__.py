"""The filer's rating of a closed case."""
