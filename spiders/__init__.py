"""The news spider and its discovery parsers."""
