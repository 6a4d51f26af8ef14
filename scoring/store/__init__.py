"""The store: a campaign's year kept in SQLite or PostgreSQL, every change in an audit chain.

``db`` opens a store and migrates it (``migrations``), ``schema`` holds its tables, ``audit``
the hash-chained log. ``campaigns`` opens a campaign and adds its units, ``imports`` stores its
unit, survey and council files, ``moves`` steps units and the campaign through ``workflow``'s
states, ``roster`` changes its units, ``appraisal`` and ``publication`` write the appraisal
rounds and the published runs; ``stored`` reads a campaign back, ``views`` and ``drafts`` serve
the web pages; ``cycle`` replays a whole folder; ``accounts`` holds the web app's users;
``evidence`` keeps the units' evidence files, once per content.
"""
