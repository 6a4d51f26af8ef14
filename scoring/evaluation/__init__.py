"""Scoring: prepared units in, results with traces out, ranked within their groups.

The pipeline, stated once::

    load      index.loader.load_index           criteria.yaml + rules/ -> Index
    prepare   campaign.submission.prepare       a unit's answers checked -> Ready
    decide    batch (through index.engine)      each leaf's branch, decided by durable-rules
    outcomes  compact                           branch -> points, N/A, evidence, per leaf
    aggregate compact                           N/A rescale, node sums, bonus/penalty, index
    assemble  assemble / trace                  the UnitResult and its trace steps
    rank      ranking                           classify and rank within each group

``evaluate`` scores one unit or a list, ``incremental`` rescores a unit after a change,
``stream`` scores a national-size stream, ``documents`` writes the JSON shapes of results.
"""
