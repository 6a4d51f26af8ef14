"""The store: a campaign's year kept in SQLite or PostgreSQL, every change in an audit chain.

``db`` opens a store and migrates it (``migrations``), ``schema`` holds its tables, ``audit``
the hash-chained log. ``campaigns``, ``roster``, ``workflow``, ``appraisal`` and ``publication``
write the year's steps; ``stored`` reads a campaign back; ``cycle`` replays a whole folder;
``accounts`` holds the web app's users.
"""
