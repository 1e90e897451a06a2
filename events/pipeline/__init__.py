"""From report text to candidate events (DESIGN.md decision 5: explainable rules, no model).

Each step is a plain function over text, tested on its own:

- `text`: check and clean what came in (binary, empty, HTML, not English), split sentences;
- `places`: gazetteer names by transliteration key, area phrases, context ranking;
- `actors`: aliases kept in the database, umbrella phrases included;
- `types`: ACLED event type and sub-type from trigger phrases;
- `dates`: date phrases resolved against the publication date, with a precision;
- `fatalities`: killed and wounded, in words or digits;
- `candidates`: one candidate per distinct action, place and time, with its evidence;
- `extract`: writes candidates for a report, never touching what an editor changed;
- `ingest`: reads files, folders, JSON Lines and standard input into reports;
- `evaluate`: scores the pipeline against the hand-annotated gold file.
"""
