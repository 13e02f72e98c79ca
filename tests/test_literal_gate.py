"""A gated pattern answers as its pattern does; it only skips asking where no match can be."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from pipelines.extract import call_to_action, form_messages, interface_phrases, reader_support
from pipelines.extract.literal_gate import GatedPattern, first_characters, gated, required_strings

SEED = Path(__file__).resolve().parents[2] / "shared" / "seed" / "azerbaijan-balancing-act.txt"


def test_the_strings_every_match_holds_are_read_off_the_pattern() -> None:
    # (re's parser factors out what alternatives start with: "cl" here, so " here" or "quez ici" is left)
    clicks = re.compile(r"\bclick(?:ing)? here\b|\bcliquez ici\b")
    assert required_strings(clicks) == {" here", "quez ici"}
    for text in ["click here", "Please clicking here now", "cliquez ici"]:
        match = clicks.search(text)
        assert match and any(needle in match.group() for needle in required_strings(clicks) or ())
    assert required_strings(re.compile(r"(?<![\w.])[\w.]+@[\w-]+(?:\.[\w-]+)+|\[email\s?protected\]")) == {
        "@", "protected]"}
    # a repeat that may not occur requires nothing; one that must occur requires what it holds
    assert required_strings(re.compile(r"(?:abc)?xyz")) == {"xyz"}
    assert required_strings(re.compile(r"(?:news(?:letter)?)+ box")) == {"news"}
    # one character of a class of a few characters, whatever spaces are around it
    assert required_strings(re.compile(r"\s*[|｜‖]\s*|\s+::\s+")) == {"|", "｜", "‖", "::"}
    assert required_strings(re.compile(r"[^|]x")) == {"x"}  # a negated class says nothing
    # the longest string of a single alternative beats a common short one
    assert required_strings(re.compile(r"to (?:post|leave) a comment")) == {" a comment"}


@pytest.mark.parametrize("pattern", [
    r"[a-z]+\d",          # classes only
    r"abc|\w+",           # one alternative without a string
    r"(?i:subscribe)|ab",  # an alternative whose string is case-insensitive
])
def test_a_pattern_that_names_no_string_goes_ungated(pattern: str) -> None:
    compiled = re.compile(pattern)
    assert required_strings(compiled) is None
    assert gated(compiled) is compiled


def test_a_case_insensitive_pattern_is_never_gated() -> None:
    pattern = re.compile(r"subscribe now", re.IGNORECASE)
    assert gated(pattern) is pattern
    assert gated(pattern).search("SUBSCRIBE NOW")


def test_search_match_and_the_rest_answer_as_the_pattern() -> None:
    pattern = re.compile(r"\b(?:log|sign) in or (?:create|register)\b|already a subscriber\?")
    gate = gated(pattern)
    assert isinstance(gate, GatedPattern)
    for text in ["Already a subscriber? Log in", "already a subscriber?", "log in or register here",
                 "he signed in or created nothing", "", "to sign in or create an account"]:
        assert bool(gate.search(text)) == bool(pattern.search(text))
        assert bool(gate.match(text)) == bool(pattern.match(text))
        assert bool(gate.search(text, 3)) == bool(pattern.search(text, 3))
    assert gate.sub("-", "log in or create") == pattern.sub("-", "log in or create")
    assert gate.split("sign in or register now") == pattern.split("sign in or register now")
    assert gate.split("nothing to split") == ["nothing to split"]
    assert gate.pattern is pattern


def _module_patterns() -> list[tuple[str, GatedPattern]]:
    found = []
    for module in (call_to_action, interface_phrases, reader_support, form_messages):
        for name, value in vars(module).items():
            if isinstance(value, GatedPattern):
                found.append((f"{module.__name__}.{name}", value))
    return found


def test_the_interface_rules_patterns_are_gated() -> None:
    names = {name.rsplit(".", 1)[1] for name, _ in _module_patterns()}
    assert {"EMAIL", "HANDLE", "_PAYWALL", "AFFILIATE", "NEWSLETTER", "COMMENT_NOTICE", "_ASK"} <= names


@pytest.mark.skipif(not SEED.exists(), reason="../shared/seed is not here (a clone outside the workspace)")
def test_every_gated_rule_agrees_with_its_pattern_on_article_lines_and_their_needles() -> None:
    """Article sentences, with and without each pattern's strings spliced in, and each string alone:
    the gate and the pattern find the same matches."""
    lines = [line.casefold() for line in SEED.read_text(encoding="utf-8").splitlines() if line.strip()]
    rng = random.Random(7)
    for name, gate in _module_patterns():
        texts = list(lines)
        for needle in gate.needles:
            texts.append(needle)
            line = rng.choice(lines)
            cut = rng.randrange(len(line) + 1)
            texts.append(line[:cut] + needle + line[cut:])
        for text in texts:
            assert _found(gate.search(text)) == _found(gate.pattern.search(text)), (name, text)
            assert _found(gate.match(text)) == _found(gate.pattern.match(text)), (name, text)


def _found(match: re.Match[str] | None) -> tuple[int, int] | None:
    return match.span() if match else None


def test_the_characters_a_match_opens_with_are_read_off_the_pattern() -> None:
    assert first_characters(r"(?:abc)?x|y+") == "(?=[axy])"
    assert first_characters(r"(?:ein\s+)?(?:artikel|beitrag)\s+von|by") == "(?=[abe])"
    assert first_characters(r"\bfoo|[|•]bar") == "(?=[f\\|•])"
    # a start that is not a few literal characters, a pattern that may match nothing, a part of other
    # case rules: no class
    for regex in [r"\w+", r"[a-z]b", r"a?", r"(?:a|)", r"(?i:ab)c"]:
        assert first_characters(regex) is None, regex


def test_the_byline_label_test_answers_as_without_its_lookahead() -> None:
    from pipelines.extract.bylines import _LABEL, _LEAD, _STARTS_LIKE_BYLINE

    plain = re.compile(rf"^{_LEAD}{_LABEL}\b", re.IGNORECASE)
    assert _STARTS_LIKE_BYLINE.pattern != plain.pattern
    words = ["By", "VON", "Text", "Écrit par", "Автор", "ТЕКСТ", "Kirjoittanut", "yazar", "Geschrieben von",
             "Byzantium", "vonnegut", "Jane", "Über", "Ärzte", "— Par", " | Autorin:", "\u212airjoittanut", "ſtory by", "ß", "İ"]
    rng = random.Random(5)
    lines = [" ".join(rng.sample(words, 2)) for _ in range(3000)] + words
    assert [bool(_STARTS_LIKE_BYLINE.match(line)) for line in lines] == [bool(plain.match(line)) for line in lines]
