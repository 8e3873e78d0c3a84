"""Contact Guard's QA kit: a pytest plugin (`plugin`, entry point `contact_guard`) with fixtures that
start the real companion and a real browser with the extension, one page helper for Chromium and
Firefox (`page.ComposerPage`), and scenario files (`scenarios`). Walk-through: docs/qa.md."""
