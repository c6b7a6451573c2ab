"""Organizations (state bodies) and the people who work with cases."""
