"""Who may see and do what: relations, the table, the decision, a confidential filer::

    relations.py    how a person stands to a case or an organization (DESIGN §9)
    table.py        the authorization table as data (rendered to docs/access.md)
    decide.py       may, require, visible_cases, target_org_allowed: the one decision
    redaction.py    a confidential filer's identity hidden from those who may not know it

The read models (``cases/views.py``, document and notification lists) take the reader
as ``viewer`` and call these; None there is the operator.
"""
