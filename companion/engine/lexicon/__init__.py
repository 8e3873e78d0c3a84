"""The `lexicon` stage: the data packs under data/, loaded and compiled once, at import.

  files.py      reading the data files (txt, tsv, json, toml)
  registry.py   the channel registry (channels.json)
  grammar.py    the small word lists patterns are built from (grammar.tsv), stop words, work nouns
  automaton.py  the one Aho-Corasick automaton of channel names and phrases that context.scan runs

Import the submodule you need; this package imports nothing itself, so that text.py can read its
tables from files.py without a cycle.
"""
