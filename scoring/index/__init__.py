"""The index as data: the YAML format, the rule kinds, loading and checking, the engine door.

``fields`` holds the value types every record is made of; ``kinds`` holds one handler per
rule kind (each with the record of its rules); ``model`` describes the rest of
``criteria.yaml`` and ``rules/``; ``loader`` (with ``compiled`` and ``packs``) turns them into
an immutable, fully checked ``Index``; ``engine`` is the only module that imports durable-rules.
"""
