"""Scoring: prepared units in, results with traces out, ranked within their groups.

The pipeline, stated once::

    load      index.loader.load_index         criteria.yaml + rules/ -> Index
    prepare   campaign.ready.prepare          a unit's answers checked -> Ready
    decide    outcomes, then index.engine     each applicable leaf's fact; the engine decides
                                              each distinct fact of a batch once
    outcomes  outcomes                        branch -> points, evidence gate, not applicable
    aggregate aggregate                       N/A points and maxima, node sums, bonus/penalty,
                                              caps, the total and its rescale
    assemble  results, frozen, steps          the UnitResult with its trace frozen (compact);
                                              its nodes and steps are made when first read
    rank      ranking                         classify and rank within each group

One path scores every unit: ``batch.score_units`` (and ``score_unit``, a batch of one) runs
decide, outcomes, aggregate and assemble for one unit or a nation, in one process or several;
``incremental.rescore`` re-scores a changed leaf with the same pieces; ``ranking`` ranks and
``score_campaign`` runs the whole pipeline for a campaign; ``batch.score_stream`` prepares
and scores a national-size stream a chunk at a time; ``documents`` writes the JSON shapes of
results.

The modules, each importing only those before it: ``trace`` (Step, UnitResult, JSON),
``inputs`` (appraisal changes; the frozen snapshot a trace is built from), ``outcomes``
(facts, branches, points, the not-applicable rule), ``steps`` (the trace step builders),
``compact`` (group plans, compact scores), ``frozen`` (a unit's complete trace as the batch
froze it, decoded to steps or text; ``freeze``), ``aggregate`` (one unit added up; the one
rescale), ``results``, ``batch``, ``incremental``, ``ranking``, ``documents``.
Beside them, ``shown`` writes a trace's codes (branch, input, level, note) for people, for the
CLI's ``explain`` and the web app's trace page alike; it changes no stored trace.
"""
