"""Excel for the units: the self-assessment template written and read back.

``template`` describes the template's layout, ``writer`` writes it, ``reader`` reads a filled
template back into a unit file. (The ranking annex workbook is an output: ``scoring.reports``.)
"""
