"""Facts in aligned sentences, and the discrepancies between outlets' versions of them.

Each module has one job; the words they reason about are data, not code:

* lexicons  - `lexicon`: word lists in compare/data/<language>/<name>.txt (speech verbs,
  roles, qualifiers, negation cues, scale and number words, month names, stop words,
  date patterns); more folders through PARALLAX_LEXICONS or `add_lexicon_dir`;
* names     - `names`: the one transliteration fold, entity and speaker keys, role classes;
* numbers   - `number_forms` (NumberFact, vocabulary, digit parsing), `numbers` (extraction),
  `number_compare` (same / rounded / qualified / different);
* dates     - `dates` (extraction and resolution), `date_compare` (`dates_conflict`);
* entities  - `gazetteer` (known names, `entity_key`, `same_entity`), `entity_doc` (tokens,
  spans), `entity_passes` and `person_passes` (the passes), `entities` (role resolution,
  `extract_entities`);
* quotes    - `quote_marks` (quotation spans), `speakers` (speaker mentions), `quotes`
  (persons, `extract_quotes`), `quote_links` (verbatim / trimmed / altered / translation,
  the speaker deciding between near twins), `speaker_groups` (alignment groups repaired so
  near-twin quotes sit with their own speaker);
* negation  - `negation` (cues); `nli` (optional contradiction model);
* disputes  - `discrepancies` (typed discrepancies per aligned group, group status).
"""
