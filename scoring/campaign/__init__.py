"""A campaign's inputs: the units, their self-assessments, survey, council and appraisal files.

``submission`` reads a campaign folder into one ``Campaign`` record and prepares each unit's
answers against the index; ``surveys`` checks survey and council files; ``appraisal_files``
reads the appraisal rounds and explanations of a folder.
"""
