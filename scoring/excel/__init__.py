"""Excel for the units: the self-assessment template written and read back, and the ranking annex.

``template`` describes the template's layout, ``writer`` writes it (and the ranking workbook and
unit YAML), ``reader`` reads a filled template back into a unit file.
"""
