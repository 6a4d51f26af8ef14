"""A campaign's inputs: the units, their self-assessments, survey, council and appraisal files.

``submission`` holds the records (``CampaignFile``, ``UnitFile``, ``Answer``, ``Submission``,
``Campaign``); ``folder`` reads a campaign folder into them; ``ready`` prepares one unit's
answers against the index (``prepare`` -> ``Ready``); ``surveys`` checks survey and council
files; ``appraisal_files`` reads the appraisal rounds and explanations of a folder.
"""
