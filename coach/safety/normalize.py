"""Text normalisation before the rules: one canonical spelling for the many ways people type the same words.

Case, Unicode compatibility forms, control characters, spacing, stretched letters ("sooooo"), leetspeak inside words
("k1ll"), spaced-out letters ("s u i c i d e"), common misspellings ("sucide") and coded slang ("kms", "unalive").
Pure functions of the standard library, so the rules layer stays fast and importable anywhere.
"""

from __future__ import annotations

import functools
import re
import unicodedata

# Rules never need more than this much text; a 100,000-character paste is cut here (head and tail kept).
MAX_RULE_CHARS = 20_000

_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201b": "'", "\u2032": "'", "\u201c": '"', "\u201d": '"'})
_CONTROL = re.compile(r"[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u2060\ufeff]")
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i"})
_TOKEN = re.compile(r"[a-z0-9@$]+(?:!+[a-z0-9@$]+)*")
# tokens left alone: plain numbers (988), ordinals and times ("2nd", "3am", "24h")
_NOT_LEET = re.compile(r"\d+(?:st|nd|rd|th|am|pm|s|k|h|m|yo|y|min|mins|hr|hrs|x|yrs|kg|lbs?)?")
_STRETCH = re.compile(r"([a-z])\1{2,}")
# four or more single letters separated by spaces, dots or dashes: "s u i c i d e", "k.i.l.l"
_SPACED = re.compile(r"\b(?:[a-z][ .\-_*]){3,}[a-z]\b")
_SPACES = re.compile(r"\s+")

# Misspellings and coded words -> canonical phrases. Word-bounded; applied in order.
_REPLACEMENTS: tuple[tuple[str, str], ...] = (
    (
        r"sewer ?slide|su+i+c+i+d+e+|sui?ci?de|suicd?e|suic?ide|suis+ide|sucide|sucid|suiside|suecide|suicid|suicde",
        "suicide",
    ),
    (r"suicidle|sucidal|suicdal|suicidel|suisidal|sucicidal|suicidial", "suicidal"),
    (r"s\*icide|su\*cide|sui\*ide|s\*\*cide|s\*\*\*ide", "suicide"),
    (r"w/o", "without"),
    (r"for ever", "forever"),
    (r"tird|tierd|tyred", "tired"),
    (r"livin", "living"),
    (r"relasped|relapsd|relaped", "relapsed"),
    (r"beeing", "being"),
    (r"self[ -]?delete|self[ -]?deleting", "kill myself"),
    (r"un[ -]?alive(?: my ?self)?", "kill myself"),
    (r"un[ -]?aliving(?: my ?self)?", "killing myself"),
    (r"kms+|kmself", "kill myself"),
    (r"kil+ my ?self|kil+ myslef|kill myslef|kil+ mysefl|kill my self", "kill myself"),
    (r"kil+ing my ?self|killin myself", "killing myself"),
    (r"hurt my ?self|hurt myslef", "hurt myself"),
    (r"my ?slef|my self", "myself"),
    (r"ctb", "end my life"),
    (r"self[ -]?harm(?:ing)?|selfharm(?:ing)?|s/h", "self harm"),
    (r"wan+a|wana", "want to"),
    (r"gonna|gona", "going to"),
    (r"im", "i'm"),
    (r"ive", "i've"),
    (r"idk", "i don't know"),
    (r"dont", "don't"),
    (r"cant", "can't"),
    (r"wont", "won't"),
    (r"wouldnt", "wouldn't"),
    (r"u", "you"),
    (r"ur", "your"),
    (r"rn", "right now"),
    (r"tn", "tonight"),
    (r"bc|cuz|coz", "because"),
    (r"od'?d|o\.d\.?'?d", "overdosed"),
    (r"anymore|any more", "anymore"),
    (r"agen|agian|agin|agn", "again"),
    (r"tonite|2nite|tonigh", "tonight"),
    (r"boyfrend|bofriend|boyfreind", "boyfriend"),
    (r"girlfrend|girlfreind", "girlfriend"),
    (r"fone", "phone"),
    (r"myslef|mysef|myslf", "myself"),
    (r"plz|pls", "please"),
    (r"wnat|wnt|wan", "want"),
    (r"cnat|cnt", "can't"),
    (r"brethe|breath|breth", "breathe"),
    (r"proply|propley", "properly"),
    (r"tuk", "took"),
    (r"2 much|to much", "too much"),
    (r"sumthing|somthing|smth", "something"),
    (r"nite", "night"),
    (r"freind|frend|fren", "friend"),
    (r"sed", "said"),
    (r"wat", "what"),
    (r"kil|kll", "kill"),
    (r"sh'?d", "self harmed"),
    (r"gonna|gona", "going to"),
)
_COMPILED = tuple((re.compile(rf"(?<![\w'])(?:{pat})(?![\w'])"), rep) for pat, rep in _REPLACEMENTS)


def _cap(text: str) -> str:
    if len(text) <= MAX_RULE_CHARS:
        return text
    half = MAX_RULE_CHARS // 2
    return text[:half] + " ... " + text[-half:]


def _unleet(match: re.Match[str]) -> str:
    token = match.group(0)
    if _NOT_LEET.fullmatch(token) or sum(c.isalpha() for c in token) < 2 or token.isalpha():
        return token
    return token.translate(_LEET)


def clean(text: str) -> str:
    """Unicode-safe, control-free, single-spaced text with its case kept (what the embedder sees)."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    text = unicodedata.normalize("NFKC", _cap(text)).translate(_QUOTES)
    text = _CONTROL.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


def normalize(text: str) -> str:
    """Lower-case canonical text for the rules: cleaned, de-stretched, de-leeted, misspellings and slang mapped."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    return _normalize(_cap(text))


@functools.lru_cache(maxsize=1024)  # the window re-reads the last few turns on every new turn
def _normalize(text: str) -> str:
    text = clean(text).lower()
    text = _SPACED.sub(lambda m: re.sub(r"[ .\-_*]", "", m.group(0)), text)
    text = _TOKEN.sub(_unleet, text)
    text = _STRETCH.sub(r"\1\1", text)
    for pattern, replacement in _COMPILED:
        text = pattern.sub(replacement, text)
    return _SPACES.sub(" ", text).strip()


# Common short words per language: enough to tell an English message from a Spanish, French, German, Portuguese,
# Italian, Dutch, Polish or Turkish one (the embedder is English-only, so non-English text is left to the
# multilingual rules).
_STOPWORDS = {
    "en": "the and i my to is it you me a of in that this for with just don't i'm want feel am was have be not but so",
    "es": "el la que de y me mi un una es por con para estoy quiero muy pero los las yo tengo del se lo mas esta"
    " va otra vez ya porque nada todo cuando siempre nadie hay",
    "fr": "je le la les de et pas ne me mon ma un une est suis pour avec que qui des j'ai c'est il elle au du plus",
    "de": "ich nicht und die der das mich mein meine ist bin ein eine zu mit auf fur es sie er nur mir auch dass hat",
    "pt": "eu nao que de e me meu minha um uma com para estou muito mas os as voce ele ela do da mais esta tenho",
    "it": "io non che di e mi il la un una per con sono voglio molto ma gli le mio mia lo della ho del piu questo",
    "nl": "ik het de een en niet dat van ze mijn wil maar zijn er naar mij meer heb",
    "pl": "nie jestem sie na w z ze mnie juz jak co chce mam",
    "tr": "ve bir bu ben da cok icin ama gibi artik beni bana",
}
_STOPSETS = {lang: frozenset(words.split()) for lang, words in _STOPWORDS.items()}
_WORD = re.compile(r"[a-z']+")


def guess_language(normalized: str) -> str:
    """ "en" unless the text's common words are clearly another of es/fr/de/pt/it (accents already stripped)."""
    words = _WORD.findall(
        "".join(c for c in unicodedata.normalize("NFKD", normalized) if not unicodedata.combining(c))
    )
    if not words:
        return "en"
    scores = {lang: sum(w in stops for w in words) for lang, stops in _STOPSETS.items()}
    lang = max(scores, key=lambda k: (scores[k], k == "en"))
    if lang != "en" and scores[lang] >= 2 and scores[lang] > scores["en"]:
        return lang
    return "en"
