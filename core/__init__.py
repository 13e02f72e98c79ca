"""What every layer shares: the record and its URL rules, the page item, counts, the clock, the run's
context and the config's model. Nothing here imports the rest of newsvault."""

VERSION = "0.1.0"
