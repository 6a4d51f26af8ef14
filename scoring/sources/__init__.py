"""Reading and writing the outside world: YAML and JSON with locations, numbers, times, files.

The lowest layer. Everything here is independent of the index: ``yamlsrc`` and ``jsonsrc`` read
text into data that remembers its line and column, ``located`` validates it into pydantic models
with located errors, ``numbers`` parses and formats Decimals, ``text`` keeps Vietnamese text
composed (NFC), ``clock`` reads dates and times in a campaign's time zone, and ``files`` writes
every file atomically.
"""
