"""The sample generator: the Lạng Sơn sample campaigns (samples/2018/, samples/2019/) as data
plus a small program, scored by ``scoring`` itself.

Data: ``cases.yaml`` (the units and each year's designed cases) and ``prose.yaml`` (every
sentence the files hold), validated by ``data``. Program, in the order a year is made:

    drawer     a unit's inputs drawn from its quality
    answers    self-assessments, survey and council answers, with the designed cases
    scorer     the library's points for an answer, and the written folder scored
    views      each unit as the appraisers see it (answers and scored points)
    lowering   appraisal changes of a leaf, a bonus/penalty or a council score
    explaining explanations of round-1 changes and round 2's decisions
    appraise   round 1, explanations and round 2 of a year
    writing    the files of a year, and a later year's own index
    (context, wording, yamlout: what a year's steps share, words and numbers, YAML output)

``tools/make_samples.py`` runs ``writing.generate``.
"""
