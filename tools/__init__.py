"""Developer tools run from a clone (not installed with parindex): the sample generator."""
