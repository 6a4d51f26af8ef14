"""The index as data: the YAML format, the rule kinds, loading and checking, the engine door.

``model`` describes ``criteria.yaml`` and ``rules/``; ``kinds`` holds one handler per rule kind;
``loader`` (with ``compiled`` and ``packs``) turns them into an immutable, fully checked
``Index``; ``engine`` is the only module that imports durable-rules.
"""
