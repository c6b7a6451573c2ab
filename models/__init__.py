"""What a case is: the record, its rules and plain transactional operations (no Prefect).

One package per thing a reader looks for; each keeps its tables in its ``tables.py``::

    audit/          the hash-chained audit log of a case and the hand-over of committed changes
    cases/          filing and intake, assignment, role tokens on a case, effects, read models
    permissions/    who may see and do what: relations, the table, the decision, redaction
    people/         organizations (state bodies) and the people who work with cases
    accounts/       how people sign in: passwords, invitations, API tokens, throttling, security log
    boards/         Ethics Boards: roster, quorum and vote count, hearings and decisions
    deadlines/      statutory rules, working-day calendar, recomputation, sweep, digest
    notifications/  the outbox, the texts people read, delivery bookkeeping
    documents/      the Word documents of a case: contexts, rendering, versioned storage
    restoration/    restoration of a servant's rights: measures, follow-ups, the report
    ratings/        the filer's rating of a closed case
    lifecycle/      the lifecycles as tables of actions, and the engine that applies them
    catalogue/      the texts of the domain errors, by code, in Kazakh, Russian and English
    migrations/     Alembic revisions: the only way the schema changes

The basics stay flat: ``db`` (engine, sessions, schema upgrades), ``settings`` (the
environment), ``types`` (shared column types), ``errors`` (the domain errors: a code,
the field, the rule's parameters), ``tables`` (every table, for the metadata) and
``policy`` (the statutory policy file).
"""
