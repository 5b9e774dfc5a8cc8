"""High-precision rules over normalised text: phrases that signal a crisis, with guards for the ways people say
the same words without being in one (negation, idiom, the past, fiction, news and general questions).

A rule hit that no guard covers is decisive on its own. A guarded hit is only a hint: the classifier decides.
The patterns recognise what a person says about themselves or someone else; they never describe how to do harm.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

# ---------------------------------------------------------------------------------------------------------------
# building blocks
_SELF = r"(?:myself|my ?self|my (?:own )?life|me)"
_FAMILY = (
    r"(?:husband|wife|partner|boyfriend|girlfriend|bf|gf|dad|father|mom|mum|mother|stepdad|stepfather|stepmom|"
    r"stepmother|step ?dad|step ?mom|uncle|aunt|brother|sister|ex|parents?|fianc[eé]e?|spouse|grandpa|grandfather|"
    r"grandma|grandmother|cousin|roommate|landlord|boss|coach|teacher|pastor|guardian|foster \w+)"
)
_OTHER_PERSON = (
    r"(?:friend|best friend|bestie|brother|sister|son|daughter|kid|child|baby|mom|mum|dad|mother|father|partner|"
    r"boyfriend|girlfriend|bf|gf|roommate|classmate|coworker|co-worker|colleague|cousin|student|husband|wife|"
    r"neighbou?r|niece|nephew|teen|teenager|uncle|aunt|grandma|grandpa|grandmother|grandfather|mate|buddy|"
    r"flatmate|housemate|fianc[eé]e?)"
)
_PEOPLE = "(?:" + _FAMILY[3:-1] + "|" + _OTHER_PERSON[3:-1] + ")"
_THIRD = r"(?:himself|herself|themselves|themself|his life|her life|their life|his own life|her own life)"


@dataclass(frozen=True)
class Rule:
    name: str
    category: str
    pattern: re.Pattern[str]
    # which guards apply: n = negation, i = idiom/hyperbole, p = past/recovered, f = fiction/news/informational;
    # b = negation before the phrase only (for phrases whose own words hold a negation: "I won't be here much longer")
    guards: str = "nipf"


def _r(name: str, category: str, pattern: str, guards: str = "nipf") -> Rule:
    return Rule(name, category, re.compile(pattern), guards)


def _any(*alternatives: str) -> str:
    """A non-capturing group of alternatives (keeps the long phrase lists readable)."""
    return "(?:" + "|".join(alternatives) + ")"


_NEAR_PEOPLE = (
    r"(?:him|her|them|someone|somebody|people|everyone|everybody|anyone|a person|those people|all of them|whoever"
    rf"|(?:my|our|the|that|this) (?:\w+ )?{_PEOPLE})"
)

RULES: tuple[Rule, ...] = (
    # --- suicide: intent, plan, ideation (active and passive), burden, goodbyes, method seeking
    _r(
        "suicide_kill_self",
        "suicide",
        r"\b(?:kill|killing|kil|end|ending|take|taking|took) (?:myself|my (?:own )?life)\b",
    ),
    _r(
        "suicide_kys_self",
        "suicide",
        r"\bi(?:'m| am|'ll| will| should| might| want to)? (?:just |finally |probably |)(?:going to |)kys\b",
    ),
    _r(
        "suicide_suicidal",
        "suicide",
        r"\b"
        + _any(
            "i'm",
            "i am",
            "i feel",
            "feeling",
            "felt",
            "i've been",
            "been",
            "getting",
            "i get",
            "having",
            "i have",
            "keep having",
            "my",
            "so",
            "very",
            "really",
            "pretty",
            "extremely",
            "kinda",
            "kind of",
            "bit",
            "little",
            "becoming",
            "still",
            "always",
            "often",
            "sometimes",
        )
        + r" (?:so |really |very |pretty |kind of |kinda |a bit |a little |extremely |constantly |increasingly |)"
        + _any("suicidal", "suicide thoughts", "thoughts of suicide", "suicidal (?:thoughts|ideation|feelings|urges)")
        + r"\b",
    ),
    _r(
        "suicide_thinking",
        "suicide",
        r"\b"
        + _any(
            "thinking",
            "thought",
            "think",
            "thinkin",
            "considering",
            "considered",
            "contemplating",
            "planning",
            "plan",
            "researching",
            "obsessing",
            "fantasi[sz]ing",
            "dreaming",
        )
        + r" (?:a lot |more |seriously |constantly |again |)(?:about|of|on) "
        + _any(
            "suicide",
            "killing myself",
            "ending (?:it all|it|my life|everything|things)",
            "taking my (?:own )?life",
            "dying",
            "not being alive",
            "not existing",
            "not waking up",
            "how to die",
        )
        + r"\b|\b(?:suicide|killing myself|ending it|dying|death) (?:is|has been|keeps|stays) (?:always |)"
        r"(?:on my mind|in my head|all i think about|all i can think about)\b",
    ),
    _r(
        "suicide_commit",
        "suicide",
        r"\b(?:commit|attempt|try|do) suicide\b|\b(?:my )?suicide (?:plan|note|letter|attempt)\b"
        r"|\bi (?:attempted|tried) suicide\b",
    ),
    _r(
        "suicide_want_die",
        "suicide",
        r"\b"
        + _any(
            "want",
            "wanted",
            "wish",
            "wishing",
            "need",
            "plan",
            "planning",
            "going",
            "ready",
            "decided",
            "deserve",
            "hoping",
            "hope",
            "have to",
            "should",
        )
        + r" (?:to )?(?:just )?"
        + _any(
            "die",
            "be dead",
            "not (?:be alive|exist|wake up|be here)",
            "stop existing",
            "cease to exist",
            "disappear forever",
            "end it(?: all)?(?! with)",
            "end everything",
            "end things(?! with)",
            "go to sleep (?:and|forever)",
            "sleep forever",
            "never wake up",
            "not be around",
        )
        + r"\b",
    ),
    _r(
        "suicide_dont_want_live",
        "suicide",
        r"\b(?:don't|do not|no longer|not|not sure i|don't know if i|don't think i) (?:really |even |)"
        r"(?:want|wish|can) (?:to )?"
        + _any("live", "be alive", "exist", "be here", "wake up", "keep living", "go on", "be around", "stay alive")
        + r"\b",
    ),
    _r(
        "suicide_wish_dead",
        "suicide",
        r"\bi (?:wish|hope) (?:i (?:was|were|could be) (?:dead|never born|gone)|i (?:don't|wouldn't|never) wake up"
        r"\b(?! (?:late|early|too|before|until|till|in time|at|on time))|i (?:had never|hadn't) been born|i could (?:j"
        r"ust )?(?:die|disappear forever|stop existing|sleep forever))",
    ),
    _r(
        "suicide_no_reason",
        "suicide",
        r"\b(?:no|not any|no more) (?:reason|point|purpose) (?:to|in|for) "
        + _any(
            "live", "living", "being alive", "go on", "going on", "keep going", "stay", "staying", "existing", "life"
        )
        + r"\b|\bnothing (?:left )?to live for\b|\blife (?:is|isn't|feels) (?:not )?worth living\b"
        r"|\bnot worth living\b",
    ),
    _r(
        "suicide_burden",
        "suicide",
        r"\b"
        + _any(
            "everyone",
            "everybody",
            "they",
            "my family",
            "my kids",
            "the world",
            "people",
            "my friends",
            "my parents",
            "he",
            "she",
            "we",
            "all",
            "everyone else",
        )
        + r" (?:would|will|'d|'ll|would all|will all|are|is) (?:be )?(?:so much |much |all |)"
        r"(?:better|happier|easier) (?:off )?without me\b|\bbetter off (?:dead|without me|if i (?:was|were) gone"
        r"|if i (?:wasn't|weren't) here|if i died)\b|\b(?:world|everyone|they|nobody|no one) (?:won't|wouldn't|will no"
        r"t"
        r"|would|will)? ?(?:even )?(?:miss|notice) me (?:when|if) i(?:'m| am)? (?:gone|dead)\b",
    ),
    _r(
        "suicide_goodbye",
        "suicide",
        r"\b"
        + _any(
            r"this is (?:my )?(?:last|final) (?:message|goodbye|post)",
            r"goodbye (?:forever|everyone|world|cruel world)",
            r"won't be (?:here|around|alive) (?:tomorrow|much longer|by morning|anymore|for long)",
            r"don't see myself (?:being )?(?:here|around|alive) (?:much longer|for long|by|next)",
            r"my (?:last|final) (?:night|day) (?:alive|on earth)",
            r"(?:writing|wrote|written|write|left) (?:a |my )?(?:goodbye|suicide) (?:note|letter)s?",
            r"(?:wrote|written|writing|left) (?:letters|notes) (?:to|for) (?:everyone|my family|all|each)",
            r"giving away (?:all )?my (?:stuff|things|belongings|pets?)",
            r"saying (?:my )?goodbyes",
            r"won't (?:need|be needing) (?:any of )?(?:it|this|them|these|that|my \w+) (?:after|past|beyond) "
            r"(?:tonight|today|tomorrow|this week)",
        )
        + r"\b",
    ),
    _r(
        "suicide_method_seek",
        "suicide",
        r"\b(?:how|best way|easiest way|quickest way|fastest way|painless way|surest way|way|ways|easy way|quick way)"
        r" (?:to|do i|can i|could i|should i|would i|do you|can you|do people) "
        r"(?:die|kill (?:myself|yourself|oneself|me)|end (?:it|my life|your life|one'?s life)|commit suicide"
        r"|not wake up)\b|\b(?:lethal|fatal|deadly) (?:dose|amount|dosage|quantity|height)\b"
        r"|\bhow (?:many|much) [\w ]{1,30} (?:to die|would (?:kill|it take to die)|to kill (?:me|myself|someone"
        r"|a person)|is (?:lethal|fatal|deadly))\b",
    ),
    _r(
        "suicide_cant_go_on",
        "suicide",
        r"\bi (?:can't|cannot) (?:go on|keep going|do life|keep living|live like this|be alive|stay alive)"
        r"(?: anymore| any longer| much longer)?\b|\bi(?:'m| am) (?:done|finished) with (?:life|living|being alive)\b",
    ),
    _r(
        "suicide_plan",
        "suicide",
        r"\b(?:i have|i've got|i made|made|i've made|i've decided|i have decided) (?:a |the )?(?:plan|date|time)"
        r" (?:to|for) (?:die|kill myself|end (?:it|my life|things)|my death)\b|\btonight (?:is|will be) the night\b",
    ),
    # --- self-harm
    _r(
        "self_harm_verb",
        "self_harm",
        r"\b"
        + _any(
            "want to",
            "going to",
            "need to",
            "urges? to",
            "keep",
            "started",
            "start",
            "been",
            "i've been",
            "have been",
            "can't stop",
            "stop myself from",
            "relapsed and",
            "i",
            "i just",
            "again",
            "i still",
        )
        + " "
        + _any(
            "cutting",
            "cut",
            "burn",
            "burning",
            "burned",
            "hurt",
            "hurting",
            "harm",
            "harming",
            "harmed",
            "hit",
            "hitting",
            "punish",
            "punishing",
            "scratch",
            "scratching",
            "bruise",
            "bruising",
            "starve",
            "starving",
        )
        + r" (?:myself|my (?:arms?|legs?|wrists?|skin|thighs?|body|stomach|hips?))\b",
    ),
    _r(
        "self_harm_term",
        "self_harm",
        r"\b"
        + _any(
            "i",
            "i'm",
            "i've",
            "been",
            "started",
            "start",
            "relapsed",
            "relapse",
            "relapsing",
            "urges? to",
            "want to",
            "going to",
            "thinking about",
            "do",
            "doing",
            "did",
            "i still",
            "addicted to",
            "can't stop",
        )
        + r" (?:[\w']+ ){0,3}(?:self harm\w*|self injur\w*|self mutilat\w*|sh)\b|\bself harmed\b",
    ),
    _r(
        "self_harm_urges",
        "self_harm",
        r"\b(?:urges?|craving|cravings|temptation) (?:to )?(?:cut|self harm|sh|hurt myself|harm myself|burn myself)\b"
        r"|\b(?:fresh|new|deep) (?:cuts|wounds|scars|marks|burns)\b|\b(?:hide|cover|hiding|covering|excuses? for)"
        r" (?:up )?(?:my |the )?(?:fresh |new )?(?:scars|cuts|marks|wounds|burns)\b"
        r"(?! from (?:my |the |a |an )?(?:surgery|operation|accident|c-section|acne|chicken ?pox))"
        r"|\bdeserve (?:to (?:hurt|suffer|bleed|be in pain)|the pain|pain)\b|\b(?:cut|cutting|cuts|hurt|hurting) myse"
        r"lf\b",
    ),
    # --- harm to others
    _r(
        "harm_others_intent",
        "harm_to_others",
        r"\b"
        + _any(
            "going to",
            "want to",
            "plan to",
            "planning to",
            "planning on",
            "about to",
            "i will",
            "i'll",
            "thinking (?:about|of)",
            "fantasi[sz]e about",
            "urges? to",
            "ready to",
            "decided to",
        )
        + " "
        + _any(
            "kill",
            "killing",
            "hurt",
            "hurting",
            "shoot",
            "shooting",
            "stab",
            "stabbing",
            "murder",
            "murdering",
            "attack",
            "attacking",
            "strangle",
            "strangling",
            "poison",
            "poisoning",
            "beat up",
            "beating up",
            "choke",
            "choking",
        )
        + " "
        + _NEAR_PEOPLE
        + r"\b",
    ),
    _r(
        "harm_others_school",
        "harm_to_others",
        r"\b(?:shoot up|bomb|attack|blow up) (?:the|my|our|this) (?:school|class|office|work|workplace|church|mosque"
        r"|synagogue|mall|party|campus)\b|\b(?:bring|bringing|take|taking) (?:a |my |dad's |)(?:gun|weapon|knife"
        r"|rifle) to (?:school|work|class|the office|campus)\b",
    ),
    _r(
        "harm_others_fear",
        "harm_to_others",
        r"\b(?:scared|afraid|terrified|worried) (?:that )?i(?:'ll| will| might| could| am going to|'m going to) "
        r"(?:hurt|kill|harm|shake|snap and hurt) (?:someone|somebody|people|my|the|him|her|them|others)\b"
        r"|\b(?:thoughts|urges|fantasies) (?:of|about) (?:hurting|killing|harming) (?:someone|people|others|my|him"
        r"|her)\b",
    ),
    # --- abuse or violence, unsafe now
    _r(
        "abuse_hits_me",
        "abuse",
        rf"\b(?:he|she|they|my {_FAMILY}|my (?:partner's|mom's|dad's) \w+) (?:\w+ ){{0,2}}"
        + _any(
            "hits",
            "hit",
            "beats",
            "beat",
            "chokes",
            "choked",
            "strangles",
            "strangled",
            "punches",
            "punched",
            "kicks",
            "kicked",
            "slaps",
            "slapped",
            "shoves",
            "shoved",
            "pushes",
            "pushed",
            "throws things at",
            "raped",
            "rapes",
            "abuses",
            "abused",
            "molests",
            "molested",
            "touches",
            "touched",
            "burns",
            "burned",
            "locks",
            "locked",
            "keeps hurting",
            "hurts",
            "is hurting",
            "keeps beating",
            "threatens",
            "threatened",
            "pinned",
            "grabbed",
            "dragged",
        )
        + r" me\b",
    ),
    _r(
        "abuse_threat",
        "abuse",
        rf"\b(?:he|she|they|my {_FAMILY}) (?:said|says|threatened|threatens|swore|told me) (?:that )?(?:he|she|they)"
        r"(?:'ll| will|'d| would| is going to|'s going to|'re going to| are going to) (?:kill|hurt|beat|shoot|stab"
        r"|find) (?:me|us)\b|\b(?:he|she|they)(?:'s| is| are|'re) (?:going to|gonna) (?:kill|hurt|beat) (?:me|us)\b",
    ),
    _r(
        "abuse_unsafe_home",
        "abuse",
        rf"\b(?:(?:i(?:'m| am)|i feel) (?:not |un)|i don't feel |i do not feel |not )safe (?:at home|in my (?:own )?(?"
        rf":home"
        rf"|house)|with (?:him|her|them|my {_FAMILY}))\b|\b(?:scared|afraid|terrified) (?:to go home|of (?:him|her"
        rf"|my {_FAMILY})|(?:he|she)(?:'ll| will| is going to|'s going to) (?:hurt|kill|find) me)\b"
        r"|\b(?:i'm |i am |i was |i've been |)(?:being|getting|got) (?:abused|raped|molested|trafficked|beaten"
        r"|assaulted)\b|\b(?:won't|will not|doesn't) let me (?:leave|go out|see anyone|call anyone|have my phone)\b"
        r"|\b(?:being (?:kept|held|locked)|locked me) (?:in|inside|here|captive|against my will)\b",
    ),
    _r(
        "abuse_child",
        "other_at_risk",
        rf"\b(?:he|she|they|my {_FAMILY}) (?:\w+ ){{0,2}}(?:hits|beats|hurts|abuses|molests|touches|chokes|shakes"
        r"|burns|starves|locks up) (?:the|my|our|his|her|their) (?:kids?|children|child|baby|son|daughter"
        r"|little (?:brother|sister)|toddler)\b|\b(?:kids?|children|child|baby|toddler)(?:'s| is| are) being "
        r"(?:hurt|hit|beaten|abused|molested)\b",
    ),
    # --- medical emergency
    _r(
        "medical_overdose",
        "medical",
        r"\b(?:i|i've|i have|i just|i think i|i might have|i may have|just|already) (?:\w+ ){0,2}(?:overdosed"
        r"|overdosing|took an overdose|taken an overdose)\b|\b(?:i|i've|i have|i just|just|already) (?:took|taken"
        r"|swallowed|drank|downed|had) (?:a (?:whole |full )?(?:bottle|bunch|lot|handful|pack|packet|box)|too (?:many"
        r"|much)|all (?:of )?(?:my|the))\b(?! (?:of )?(?:coffee|caffeine|food|sugar|candy|chocolate|work|stress|time"
        r"|things|stuff|shifts|classes|homework|courses|notes|photos|pictures))",
    ),
    _r(
        "medical_emergency",
        "medical",
        r"\b(?:can't|cannot|can not) stop (?:the )?bleeding\b|\bwon't stop bleeding\b|\bbleeding (?:a lot|heavily"
        r"|badly|everywhere|so much)\b|\b(?:i|he|she|they|my \w+) (?:cut|went) too deep\b|\b(?:isn't|is not|not"
        r"|stopped|stop) breathing\b|\b(?:won't|will not|can't|cannot) wake (?:him|her|them) up\b|\b(?:unconscious"
        r"|unresponsive|passed out and|having a seizure|seizing)\b|\bi(?:'m| am) having (?:a )?(?:heart attack"
        r"|stroke|chest pain)\b|\b(?:face|mouth|smile) (?:is |)(?:drooping|droops)\b|\b(?:can't|cannot) speak"
        r" properly\b|\bslurring (?:his|her|their|my) words\b",
    ),
    # --- someone else at risk
    _r(
        "other_suicidal",
        "other_at_risk",
        rf"\b(?:my|our|a|this|her|his) {_OTHER_PERSON}(?:'s| is|'s been| has been| keeps| was| just| said| says"
        rf"| told me| texted| posted| messaged)? (?:[\w',]+ ){{0,8}}"
        + _any(
            "suicidal",
            rf"wants? to (?:die|kill {_THIRD}|end {_THIRD})",
            rf"(?:is |was )?(?:going|gonna|planning|trying|threatening|threatened|tried) to (?:kill|hurt|harm|end)"
            rf" {_THIRD}",
            rf"(?:cutting|hurting|harming|burning|starving) {_THIRD}",
            "overdosed|overdosing",
            "took (?:a (?:whole )?(?:bottle|bunch|lot|handful)|too many)",
            "(?:a )?(?:goodbye|suicide) (?:note|letter|message|text|post)",
            "giving away (?:all )?(?:his|her|their) (?:stuff|things|belongings)",
            "(?:talking|talks|talked|texting|joking) about (?:ending it|killing (?:himself|herself|themselves)"
            "|suicide|dying|not being here|not waking up)",
            "better off without (?:him|her|them)",
        )
        + r"\b",
    ),
    _r(
        "other_pronoun",
        "other_at_risk",
        r"\b(?:he|she|they)(?:'s| is|'re| are| was| were| has been|'s been| keeps| just| said| says| told me"
        r"| texted me| texted| posted)? (?:\w+ ){0,4}"
        + _any(
            rf"(?:going|gonna|planning|trying|threatening|threatened|tried|wants?|want) to (?:kill|hurt|harm|end)"
            rf" {_THIRD}",
            "suicidal",
            rf"(?:cutting|hurting|harming) {_THIRD}",
            "(?:talking|talks|talked) about (?:ending it|killing (?:himself|herself|themselves)|suicide)",
        )
        + r"\b",
    ),
)

LANGS = ("es", "fr", "de", "pt", "it", "nl", "pl", "tr")

# Non-English crisis phrases (accents stripped). MiniLM is English-only, so these are the non-English safety net.
MULTILINGUAL: tuple[Rule, ...] = (
    # es
    _r(
        "es_suicide",
        "suicide",
        r"\b"
        + _any(
            "(?:me )?quiero (?:morir(?:me)?|matarme|suicidarme|desaparecer para siempre)",
            "voy a (?:matarme|suicidarme|quitarme la vida)",
            "me voy a (?:matar|suicidar)",
            "quitarme la vida",
            "no quiero (?:seguir )?(?:vivir|viviendo|estar vivo|estar viva)",
            "pienso en (?:el )?suicidio",
            "pensamientos suicidas",
            "ganas de morir",
            "(?:estoy|me siento) suicida",
            "mejor sin mi",
            "acabar con (?:todo|mi vida)",
        )
        + r"\b",
        "np",
    ),
    _r(
        "es_self_harm",
        "self_harm",
        r"\b(?:me corto|cortarme|hacerme dano|me hago dano|autolesion\w*|lastimarme)\b",
        "n",
    ),
    _r(
        "es_abuse",
        "abuse",
        r"\b(?:me pega|me golpea|me maltrata|me viola|me amenaza con matarme|tengo miedo de (?:el|ella|mi (?:esposo"
        r"|marido|pareja|novio)))\b",
        "n",
    ),
    _r(
        "es_medical", "medical", r"\b(?:sobredosis|me tome (?:todas|muchas|demasiad[oa]s?)|tome demasiad[oa]s?)\b", "n"
    ),
    _r("es_other", "other_at_risk", r"\b(?:quiere (?:matarse|suicidarse|morir)|se quiere (?:matar|morir))\b", "n"),
    # fr
    _r(
        "fr_suicide",
        "suicide",
        r"\b"
        + _any(
            "je veux mourir",
            "j'ai envie de mourir",
            "envie de mourir",
            "me suicider",
            "je vais me tuer",
            "me tuer",
            "mettre fin a (?:mes jours|ma vie)",
            "en finir",
            "je ne veux plus vivre",
            "je veux plus vivre",
            "pensees suicidaires",
            "je suis suicidaire",
            "idees suicidaires",
            "mieux sans moi",
        )
        + r"\b",
        "np",
    ),
    _r(
        "fr_self_harm",
        "self_harm",
        r"\b(?:me faire du mal|me scarifier|je me scarifie|je me coupe|automutilation)\b",
        "n",
    ),
    _r(
        "fr_abuse",
        "abuse",
        r"\b(?:il me frappe|elle me frappe|il me bat|me violente|il m'a viole|menace de me tuer"
        r"|j'ai peur de (?:lui|mon mari|mon copain))\b",
        "n",
    ),
    _r("fr_other", "other_at_risk", r"\b(?:veut (?:se tuer|mourir|se suicider|en finir))\b", "n"),
    # de
    _r(
        "de_suicide",
        "suicide",
        r"\b(?:ich (?:will|mochte|moechte) (?:sterben|nicht mehr leben|tot sein)|mich umbringen|mir das leben nehmen"
        r"|selbstmord|suizid\w*|ich kann nicht mehr leben|ich bring mich um|lebensmude|lebensmuede)\b",
        "np",
    ),
    _r("de_self_harm", "self_harm", r"\b(?:mich ritzen|ich ritze mich|mich selbst verletzen|selbstverletzung)\b", "n"),
    _r(
        "de_abuse",
        "abuse",
        r"\b(?:er schlagt mich|er schlaegt mich|sie schlagt mich|mein mann schlagt mich|mich umzubringen)\b",
        "n",
    ),
    _r("de_other", "other_at_risk", r"\b(?:will sich umbringen|will sterben|sich das leben nehmen)\b", "n"),
    # pt
    _r(
        "pt_suicide",
        "suicide",
        r"\b"
        + _any(
            "quero morrer",
            "vou me matar",
            "me matar",
            "suicidio",
            "me suicidar",
            "tirar (?:a )?minha (?:propria )?vida",
            "nao quero mais viver",
            "nao aguento mais viver",
            "pensamentos suicidas",
            "estou suicida",
            "acabar com (?:tudo|minha vida)",
        )
        + r"\b",
        "np",
    ),
    _r("pt_self_harm", "self_harm", r"\b(?:me cortar|me corto|me machucar|automutilacao|me ferir)\b", "n"),
    _r("pt_abuse", "abuse", r"\b(?:ele me bate|ela me bate|meu marido me bate|me agride|ameacou me matar)\b", "n"),
    _r("pt_other", "other_at_risk", r"\b(?:quer (?:se matar|morrer)|vai se matar)\b", "n"),
    # it
    _r(
        "it_suicide",
        "suicide",
        r"\b(?:voglio morire|uccidermi|ammazzarmi|suicidarmi|togliermi la vita|non voglio piu vivere"
        r"|pensieri suicidi|farla finita)\b",
        "n",
    ),
    _r("it_self_harm", "self_harm", r"\b(?:farmi del male|tagliarmi|mi taglio|autolesionismo)\b", "n"),
    _r("it_abuse", "abuse", r"\b(?:mi picchia|mi maltratta|minaccia di uccidermi)\b", "n"),
    _r("it_other", "other_at_risk", r"\b(?:vuole (?:uccidersi|ammazzarsi|morire|farla finita))\b", "n"),
)


# Broader phrasings: passive ideation, plans and goodbyes, hidden self-harm, loss of control, violence at home,
# medical emergencies in plain words, and signs that someone else is in danger now.
_ANY_OBJECT = (
    r"(?:him|her|them|someone|somebody|people|everyone|anyone|whoever"
    r"|(?:my|our|the|that|this|a|one of my) (?:\w+ ){0,2}\w+)"
)
_MORE_RULES: tuple[Rule, ...] = (
    _r(
        "suicide_method_third",
        "suicide",
        r"\bhow (?:would|do|can|could|does|should|might) (?:someone|somebody|people|a person|one|you|my character|i)"
        r" (?:\w+ ){0,3}(?:end|ending|kill|killing|take|taking) (?:their|his|her|your|my|one'?s) (?:own )?(?:life|live"
        r"s"
        r"|themselves|himself|herself|yourself|myself)\b|\bhow do people kill themselves\b|\b(?:way|how) to (?:go|die"
        r"|end it|end my life) (?:that|so|without|and make)\b|\b(?:end|ending) it without (?:anyone|anybody|people)\b"
        r"|\bhow (?:could|can|would) (?:someone|i) end it\b",
        "np",
    ),
    _r(
        "suicide_sleep",
        "suicide",
        r"\b(?:forever sleep|eternal sleep|sleep forever|sleep and (?:never|not) wake up)\b|\b(?:hope|wish|want|pray"
        r"|praying|wishing)\b[\w' ]{0,15}\b(?:don't|do not|never|won't|wouldn't|didn't|not) wake up\b"
        r"(?! (?:late|early|too|before|until|till|in time|at|on time))"
        r"|\bstop being alive\b|\bwant (?:it all|everything|the pain|this|it) to (?:stop|end) (?:forever|for good"
        r"|permanently)\b",
        guards="bipf",
    ),
    _r(
        "suicide_goodbye_more",
        "suicide",
        r"\b(?:i won't be (?:back|bothering (?:you|anyone))|won't be needing (?:them|it|these|this) where i'm going"
        r"|the last time i'll (?:talk|speak) to|nobody (?:would|will|can|could) stop me|(?:please )?don't (?:try to )?"
        r"stop me|i've made my peace|(?:put|putting|got) my affairs in order|before i go\b.{0,40}\bthank|going through"
        r" with it|go through with it|i know when i'm going to do it|i have a plan(?: and|\.|,|$)|i've got what i need"
        r"|made up my mind about tonight)",
        "f",
    ),
    _r(
        "suicide_burden_more",
        "suicide",
        r"\b(?:i'm|i am|i feel like|feel like) (?:just |such |nothing but |only )?a burden\b|\b(?:better|happier"
        r"|relieved|easier|fine)\b[\w' ]{0,25}\bif i (?:wasn't|weren't|was not|were not|was|were|didn't|did not) "
        r"(?:around|here|alive|gone|dead|exist)\b|\b(?:easier|better) time without me\b|\b(?:nobody|no one|noone)"
        r" (?:would|will|'d) (?:even )?(?:care|miss me|notice) (?:if|when) i(?:'m| was| were| am)? (?:gone|dead|died"
        r"|disappeared|not here)\b|\bif i disappeared\b[\w' ]{0,20}\b(?:nobody|no one) would (?:miss|notice|care)\b"
        r"|\b(?:didn't|did not|wouldn't) have to deal with me\b",
    ),
    _r(
        "suicide_no_reason_more",
        "suicide",
        r"\bno (?:reason|point|purpose)\b[\w' ]{0,12}\b(?:to|in|for) (?:keep )?(?:living|live|being alive|go on|going"
        r" on|keep going|be here|stay alive|existing|wake up)\b|\b(?:don't|do not|can't|cannot) see (?:much |any |a |t"
        r"he"
        r" )?(?:reason|point) (?:to|in|of) (?:keep going|keep living|living|go on|going on|being here|staying alive)"
        r"\b",
    ),
    _r("suicide_suicidal_thoughts", "suicide", r"\bsuicidal (?:thoughts|ideation|urges|feelings|thinking)\b"),
    _r(
        "self_harm_more",
        "self_harm",
        r"\b(?:sh|self harm) (?:urges?|cravings?|thoughts|again|tonight|today|last night)\b|\bmy self harm\b"
        r"|\b(?:what|things) i (?:did|do|'ve done|have done) to myself\b|\b(?:thinking about|thoughts of|fantasi[sz]in"
        r"g"
        r" about|can't stop thinking about) (?:cutting|hurting|harming|burning|punishing) myself\b|\bself harmed\b",
    ),
    _r(
        "harm_others_more",
        "harm_to_others",
        r"\b(?:people|someone|them|him|her|everyone|those|kids|teachers) i (?:want|am going|'m going|plan|need) to"
        r" (?:hurt|kill|shoot|stab|attack)\b|\b(?:thoughts|urges|fantasies|fantasi[sz]ing|a voice telling me|voices"
        r" telling me) (?:of|about|to) (?:hurting|killing|harming|stabbing|hurt|kill|harm|stab) "
        + _ANY_OBJECT
        + r"|\bscared of what i(?:'ll| will| might| could) do to (?:him|her|them|someone|my (?:\w+ )?\w+)\b"
        r"|\b(?:going to|gonna) (?:end|beat) (?:him|her|that (?:kid|guy)|the (?:kid|guy))\b|\bi'd (?:hurt|kill) "
        r"(?:him|her|them)\b.{0,30}\bmeant (?:it|every word)\b|\bso bad (?:he|she|they) (?:ends?|end) up in (?:the )?"
        r"hospital\b",
        "nif",
    ),
    _r("self_scared_what_do", "suicide", r"\bscared of what i(?:'ll| will| might| could) do to myself\b"),
    _r(
        "abuse_more",
        "abuse",
        r"\b(?:he|she|they|my (?:\w+ ){1,2})(?:'s| is| are| was| keeps| kept| started| been| has been)? (?:\w+ ){0,3}"
        r"(?:hitting|beating|choking|kicking|punching|slapping|strangling|abusing|raping|touching|hurting) me\b"
        r"|\b(?:putting|puts|put|laid|lays) (?:his |her |their )?hands on me\b|\b(?:after|kept|keeps|stop|started)"
        r" (?:hitting|beating|choking) me\b|\bi'm locked (?:in|inside)\b|\b(?:he|she|they)(?:'s| is| are|'re) "
        r"(?:banging|pounding|kicking|trying to (?:get|break) in)\b|\bthreat(?:en|ened|ens|ening) to (?:kill|hurt|beat"
        r"|shoot|stab) (?:me|us)\b|\bforc(?:es|ed|ing) me to\b|\bmak(?:es|ing) me send (?:him |her |them )?"
        r"(?:pictures|photos|pics|nudes)\b|\b(?:show|send|post) everyone the (?:pictures|photos|pics|ones)\b"
        r"|\b(?:keeps|kept) (?:showing up|turning up) (?:at|outside)\b|\b(?:my (?:\w+ ){1,2})(?:hits|beats|hurts) me"
        r"\b",
        "npf",
    ),
    _r(
        "medical_more",
        "medical",
        r"\b(?:struggling|hard|difficult|trouble|can't|cannot|unable|can not) (?:to )?(?:breathe|breathing)\b"
        r"|\b(?:crushing|severe|sharp) chest pain\b|\bchest pain (?:going|down|spreading)\b|\b(?:pain|numb) (?:going "
        r"|down )?(?:down )?(?:my|his|her) left arm\b|\b(?:just|has|suddenly) collapsed\b|\b(?:not|isn't|barely) "
        r"(?:responding|moving|breathing)\b|\b(?:won't|isn't|not) wak(?:e|ing) up (?:properly)?\b(?!(?:until|till|befo"
        r"re|early|late|on time))"
        r"|\b(?:face|throat|lips|tongue) (?:is |are )?(?:swelling|swollen)\b|\bhit (?:his|her|my|their) head\b.{0,40}"
        r"\b(?:not making sense|confused|vomiting|throwing up|won't wake|passed out)\b"
        r"|\b(?:took|taken|swallowed|had) (?:way |a lot |far )?(?:more|too much|too many|extra|double|twice)\b[\w' ]{0"
        r",25}"
        r"\b(?:medication|meds|pills|tablets|prescription|medicine|something)\b|\b(?:took|taken|swallowed) (?:my|her|h"
        r"is"
        r"|their) (?:meds|medication|medicine|pills|tablets) (?:again |twice )?(?:by mistake|twice|again)\b"
        r"|\bswallowed something\b|\bdrank something (?:he|she|they|i) shouldn't\b",
        "nf",
    ),
    _r(
        "other_more",
        "other_at_risk",
        rf"\b(?:my|our|a|this|her|his) (?:\w+ ){{1,2}}{_OTHER_PERSON}(?:'s| is| has been| keeps| was| just| said| says"
        rf"| told me)? (?:[\w',]+ ){{0,6}}(?:suicidal|wants? to (?:die|kill {_THIRD}|end {_THIRD})|(?:going|planning"
        rf"|trying|threatening) to (?:kill|hurt|end) {_THIRD})\b|\b(?:posted|said|saying|texted|sent|wrote|left) "
        r"(?:a )?(?:goodbye|note)\b[\w' ,.]{0,60}\b(?:missing|not answering|isn't answering|not picking up|isn't picki"
        r"ng"
        r" up|can't reach|won't answer|not replying)\b|\bwent missing after\b"
        rf"|\b(?:has|had|made) a plan to (?:end|kill|take) {_THIRD}"
        r"|\b(?:he|she|they)(?:'s| has| have| is)? (?:been )?giving away (?:his|her|their|all)\b"
        rf"|\b(?:he|she|they)(?:'ll| will|'d| would| might) (?:kill|hurt|harm) {_THIRD}"
        r"|\bthreat(?:en|ened|ens|ening) to (?:kill|hurt) (?:her|him|them)\b|\b(?:hurts|cuts|harms|burns) (?:herself|h"
        r"imself"
        r"|themselves)\b|\b(?:someone|somebody|a friend|my \w+) who (?:wants?|is trying|is going|is planning) to "
        r"(?:die|kill|end)\b.{0,40}\b(?:right now|now|tonight)\b|\b(?:is|are|'s|been|keeps|kept) (?:hurting|hitting"
        r"|abusing|beating|molesting) (?:her|him|them)\b|\b(?:stepdad|stepfather|dad|father|uncle|he)(?:'s| is)? "
        r"(?:touches|touching|touched) (?:her|him)\b",
        "npf",
    ),
    _r(
        "suicide_general",
        "suicide",
        r"\b(?:tired|sick) of (?:living|being alive|life|existing|being here)\b(?! (?:on|off) (?!this |earth)\w)|\bwha"
        r"t(?:'s| is) the point (?:of|in)"
        r" (?:living|life|going on|being alive|anything anymore)\b|\b(?:life|living) (?:isn't|is not|ain't) worth it\b"
        r"|\bwant to be gone\b|\bi give up on (?:life|living)\b|\b(?:easier|better) if i (?:was|were) (?:dead|gone)\b"
        r"|\bi(?:'m| am) going to end (?:it|things|everything|it all)\b|\bend it all\b|\bthinking of ending"
        r" (?:it|things|everything)\b",
    ),
    _r("abuse_assault", "abuse", r"\b(?:i was|i got|i've been|i have been) (?:raped|sexually assaulted)\b"),
)
_MULTI_MORE: tuple[Rule, ...] = (
    _r("es_more", "suicide", r"\b(?:suicidarme|no despertar(?: nunca mas)?|mejor sin mi)\b", "bip"),
    _r("es_more_abuse", "abuse", r"\b(?:me pego|que me mate|me golpeo)\b", "n"),
    _r("es_more_sh", "self_harm", r"\bme volvi a (?:lastimar|cortar|hacer dano)\b", "n"),
    _r("es_more_harm", "harm_to_others", r"\b(?:hacerle dano a|matar a) (?:alguien|mi|mis|mi bebe)\b", "n"),
    _r("fr_more_abuse", "abuse", r"\b(?:me frappe|m'a enfermee?|m'a frappee?)\b", "n"),
    _r("fr_more_sh", "self_harm", r"\bje me suis (?:encore )?fait du mal\b", "n"),
    _r("fr_more_harm", "harm_to_others", r"\bfaire du mal a (?:mon|ma|mes|quelqu'un)\b", "n"),
    _r(
        "de_more_abuse",
        "abuse",
        r"\b(?:schlagt mich|schlaegt mich|schlug mich|hat mich geschlagen|angst\b.{0,30}nach hause)\b",
        "n",
    ),
    _r("de_more_medical", "medical", r"\b(?:verschluckt|bekommt (?:schlecht|keine) luft|atmet nicht)\b", "n"),
    _r("it_more", "suicide", r"\b(?:piu felici senza di me|meglio senza di me)\b", "n"),
    _r("it_more_medical", "medical", r"\b(?:svenut[oa]|non respira)\b", "n"),
    _r("pt_more", "suicide", r"\b(?:melhor sem mim|melhores sem mim)\b", "n"),
    _r("pt_more_other", "other_at_risk", r"\b(?:postou uma despedida|se despediu)\b", "n"),
)
RULES = RULES + _MORE_RULES
MULTILINGUAL = MULTILINGUAL + _MULTI_MORE


# Broader non-English phrases per category (written from general crisis-line guidance, accents stripped).
_MULTI_BROAD: tuple[Rule, ...] = (
    _r(
        "es_broad",
        "suicide",
        r"\b(?:(?:quiero|quisiera|deseo|me gustaria) (?:morir|desaparecer|no existir|no despertar|dejar de"
        r" existir)|quitarme la vida|acabar con mi vida|terminar con (?:todo|mi vida)|no (?:quiero|aguanto|puedo)"
        r" (?:mas|seguir) (?:vivir|viviendo|asi)|(?:soy|me siento) una carga|estarian mejor sin mi)\b",
        "nip",
    ),
    _r(
        "es_broad_other",
        "other_at_risk",
        r"\b(?:mi|una|un) (?:amig[oa]|herman[oa]|hij[oa]|madre|padre|novi[oa]|pareja|prim[oa])\b.{0,50}\b(?:quiere"
        r" (?:morir|matarse|suicidarse)|se quiere matar|se corta|se lastima|intento suicidarse)\b",
        "n",
    ),
    _r(
        "es_broad_sh",
        "self_harm",
        r"\b(?:me he cortado|me corte|me lastime|me hago dano|me he hecho dano|me autolesiono)\b",
        "ni",
    ),
    _r(
        "es_broad_abuse",
        "abuse",
        r"\b(?:me golpea|me golpeo|me maltrata|me violo|abusa de mi|abuso de mi|me amenaza|me amenazo)\b",
        "n",
    ),
    _r(
        "es_broad_medical",
        "medical",
        r"\b(?:(?:me )?tome (?:muchas|todas|demasiad\w*)|he tomado (?:muchas|todas|demasiad\w*)|no respira|"
        r"inconsciente|sangra mucho|no puedo respirar)\b",
        "n",
    ),
    _r(
        "fr_broad",
        "suicide",
        r"\b(?:(?:je veux|j'ai envie de|envie de) (?:disparaitre|en finir)|mettre fin a mes jours|en finir"
        r" avec (?:la vie|tout)|je ne veux plus (?:vivre|exister|etre la)|je suis un fardeau|mieux sans moi)\b",
        "nip",
    ),
    _r(
        "fr_broad_other",
        "other_at_risk",
        r"\b(?:mon|ma) (?:ami|amie|frere|soeur|fils|fille|copain|copine|pere|mere)\b.{0,50}\b(?:veut (?:mourir|se tuer"
        r"|se suicider)|se scarifie|se fait du mal|a fait une tentative)\b",
        "n",
    ),
    _r("fr_broad_sh", "self_harm", r"\b(?:je me fais du mal|je me suis coupee?|je me scarifie|automutil\w*)\b", "ni"),
    _r(
        "fr_broad_abuse",
        "abuse",
        r"\b(?:me frappe|me bat|m'a frappee?|m'a violee?|me menace|m'a menacee?)\b",
        "n",
    ),
    _r(
        "fr_broad_medical",
        "medical",
        r"\b(?:j'ai (?:pris|avale) (?:trop|tous|toutes|une boite)|ne respire plus|inconscient\w*|je n'arrive pas a"
        r" respirer|surdose|overdose)\b",
        "np",  # "overdose" is English too: "8 years since my overdose" is past
    ),
    _r(
        "de_broad",
        "suicide",
        r"\b(?:suizid\w*|selbstmord\w*|(?:ich will|ich mochte|ich moechte|ich wunschte) (?:sterben|tot sein|nicht mehr"
        r" (?:leben|da sein|aufwachen))|mein leben beenden|allem ein ende setzen|ich bin eine last|besser ohne mich)"
        r"\b",
        "ni",
    ),
    _r(
        "de_broad_other",
        "other_at_risk",
        r"\b(?:mein|meine) (?:freund|freundin|bruder|schwester|sohn|tochter|mutter|vater|mann|frau)\b.{0,50}\b(?:will"
        r" sterben|will sich umbringen|ritzt sich|verletzt sich)\b",
        "n",
    ),
    _r("de_broad_sh", "self_harm", r"\b(?:ritze mich|verletze mich|selbstverletz\w*)\b", "ni"),
    _r(
        "de_broad_abuse",
        "abuse",
        r"\b(?:schlagt mich|schlaegt mich|hat mich geschlagen|hat mich vergewaltigt|bedroht mich|droht mir)\b",
        "n",
    ),
    _r(
        "de_broad_medical",
        "medical",
        r"\b(?:zu viele tabletten|uberdosis|ueberdosis|atmet nicht|bewusstlos|(?:kriege|bekomme) keine luft)\b",
        "n",
    ),
    _r(
        "pt_broad",
        "suicide",
        r"\b(?:(?:quero|queria) (?:morrer|sumir|desaparecer|nao acordar)|tirar minha vida|acabar com"
        r" (?:tudo|minha vida)|nao (?:quero|aguento) mais (?:viver|isso)|sou um fardo|melhor sem mim)\b",
        "ni",
    ),
    _r(
        "pt_broad_other",
        "other_at_risk",
        r"\b(?:meu|minha) (?:amigo|amiga|irmao|irma|filho|filha|namorado|namorada|mae|pai)\b.{0,50}\b(?:quer morrer"
        r"|quer se matar|vai se matar|se corta|se machuca)\b",
        "n",
    ),
    _r("pt_broad_sh", "self_harm", r"\b(?:me cortei|me machuquei|automutil\w*)\b", "ni"),
    _r("pt_broad_abuse", "abuse", r"\b(?:me bate|me bateu|me estuprou|me ameaca|me ameacou)\b", "n"),
    _r(
        "pt_broad_medical",
        "medical",
        r"\b(?:tomei (?:muitos|todos|remedios demais|comprimidos demais)|engoli|nao respira|desmaiou|inconsciente)\b",
        "n",
    ),
    _r(
        "it_broad",
        "suicide",
        r"\b(?:(?:voglio|vorrei) (?:morire|sparire|non svegliarmi)|farmi fuori|non (?:voglio|ce la faccio)"
        r" piu (?:a )?vivere|sono un peso|meglio senza di me)\b",
        "ni",
    ),
    _r(
        "it_broad_other",
        "other_at_risk",
        r"\b(?:mio|mia) (?:amico|amica|fratello|sorella|figlio|figlia|ragazzo|ragazza|madre|padre)\b.{0,50}\b(?:vuole"
        r" morire|vuole uccidersi|si taglia|si fa del male)\b",
        "n",
    ),
    _r("it_broad_sh", "self_harm", r"\b(?:mi faccio del male|mi sono tagliat[oa]|autolesion\w*)\b", "ni"),
    _r("it_broad_abuse", "abuse", r"\b(?:mi ha picchiat[oa]|mi ha violentat[oa]|mi minaccia)\b", "n"),
    _r("it_broad_medical", "medical", r"\b(?:ho preso troppe|non respira|svenut[oa]|incosciente|overdose)\b", "n"),
)
MULTILINGUAL = MULTILINGUAL + _MULTI_BROAD


# Natural variants of the core phrases in es/fr/de/pt/it (and a few in nl/pl/tr): passive wishes, burden, goodbyes,
# "hurt myself", "he hits me", "took too much", "my friend wants to die". Accents are stripped before matching.
_MULTI_NATURAL: tuple[Rule, ...] = (
    # es
    _r(
        "es_nat_suicide",
        "suicide",
        r"\b"
        + _any(
            "(?:ya )?no quiero (?:seguir )?(?:aqui|existir|despertar(?:me)?|vivir|estar vivo|estar viva)",
            "no quiero seguir",
            "dejar de existir",
            "(?:desaparecer|desapareciera|desaparezca) para siempre",
            "(?:no voy a )?molestar a nadie (?:por )?mucho tiempo",
            "(?:soy|ser) una carga para",
            "(?:estarian|estaria|vivirian|seria) mejor sin mi",
            "me despedi de (?:todos|todo el mundo)",
            "esta noche se acaba todo",
            "quiero morir\\w*",
            "me quiero (?:morir|matar)",
            "terminar con mi vida",
            "(?:volver a )?intentar(?:lo)? (?:otra vez|de nuevo) (?:matarme|quitarme la vida)",
        )
        + r"\b",
        "n",
    ),
    _r(
        "es_nat_self_harm",
        "self_harm",
        r"\b(?:me hice dano|me he hecho dano|me lastime|me he lastimado|me volvi a cortar|me he cortado)\b",
        "n",
    ),
    _r(
        "es_nat_harm",
        "harm_to_others",
        r"\b(?:voy a|quiero|le voy a) (?:matar|lastimar|hacer(?:le)? dano|golpear) a (?:mi|ese|esa|el|la|su)\b",
        "n",
    ),
    _r(
        "es_nat_abuse",
        "abuse",
        r"\b(?:me pego|me golpeo|me golpean|me pegan|me estrangulo|me ahorca|me pone las manos encima|no me deja salir"
        r"|me tiene encerrad[oa]|me quito el telefono|me amenaz[oa]|me (?:hace|hizo|obliga a hacer) cosas|miedo de (?"
        r":vol"
        r"ver|regresar) a (?:mi )?casa)\b",
        "n",
    ),
    _r(
        "es_nat_medical",
        "medical",
        r"\b(?:no (?:responde|reacciona)(?! (?:a )?(?:los|las|mis|tus|sus|nuestros|el|la|al) )|se desmayo|se desplomo"
        r"|inconsciente|no puede respirar|dolor (?:\w+ ){0,3}en el"
        r" pecho|se (?:tomo|trago) (?:algo|un|una|unas|unos|muchas|muchos|todas|todos)|(?:me|se) tom(?:e|o) (?:muchas"
        r"|muchos|demasiad[oa]s?|todas|todos))\b",
        "n",
    ),
    _r(
        "es_nat_other",
        "other_at_risk",
        r"\b(?:(?:quiere|dice que quiere|se quiere) (?:morir\w*|matar\w*|suicidar\w*)|se va a (?:matar|suicidar|quita"
        r"r la vida|hacer dano)|(?:hoy|esta noche|manana) se (?:mata|suicida)|(?:mensaje|carta|nota) de"
        r" despedida|publico una despedida|(?:se esta|se) (?:cortando|lastimando|haciendo dano))\b",
        "n",
    ),
    # fr
    _r(
        "fr_nat_suicide",
        "suicide",
        r"\b"
        + _any(
            "(?:je ne veux|je veux) plus (?:me reveiller|exister|etre la|etre ici|vivre)",
            "ne plus (?:exister|me reveiller|etre la)",
            "(?:ne (?:serai|serais|suis|serait) )?(?:plus|pas) (?:un|une) (?:poids|fardeau|charge) pour",
            "(?:un|une) (?:poids|fardeau) pour (?:tout le monde|les autres|ma famille)",
            "(?:j'ai fait|je fais) mes adieux",
            "ce soir c'est (?:la fin|fini)",
            "a quoi bon (?:continuer a )?vivre",
            "disparaitre pour toujours",
            "(?:serait|seraient|serais) mieux sans moi",
            "veux recommencer",
            "(?:je veux|j'ai envie d'|envie de) en finir",
            "(?:je veux|j'ai envie de) mourir",
        )
        + r"\b",
        "n",
    ),
    _r(
        "fr_nat_self_harm",
        "self_harm",
        r"\b(?:je me suis (?:fait du mal|blesse\w*|coupe\w*|scarifie\w*)|me blesser expres|me faire mal expres)\b",
        "n",
    ),
    _r(
        "fr_nat_harm",
        "harm_to_others",
        r"\bje vais (?:le |la |les |lui )?(?:tuer|frapper|faire du mal a|blesser) (?:mon|ma|mes|ce|cette|le|la)\b|\bj"
        r"e vais (?:lui|leur|le|la|les) (?:faire du mal|tuer|frapper|blesser)\b|\bje (?:ne )?me (?:controle|maitrise)"
        r" plus\b",
        "n",
    ),
    _r(
        "fr_nat_abuse",
        "abuse",
        r"\b(?:(?:il|elle|mon \w+|ma \w+) me (?:tape|frappe|bat|cogne|etrangle|menace)|m'a (?:frappe\w*|etrangle\w*"
        r"|battu\w*|viole\w*)|me tape dessus|peur de rentrer)\b",
        "n",
    ),
    _r(
        "fr_nat_medical",
        "medical",
        r"\b(?:(?:beaucoup )?trop de (?:mes )?(?:medicaments|cachets|pilules|comprimes)|ne respire (?:plus|pas)"
        r"|inconscient\w*|s'est effondre\w*|(?:douleur|mal) (?:\w+ ){0,3}(?:dans|a) la poitrine|a avale|(?:du mal|de "
        r"la peine) a respirer|n'arrive (?:pas"
        r"|plus) a respirer)\b",
        "n",
    ),
    _r(
        "fr_nat_other",
        "other_at_risk",
        r"\b(?:(?:message|lettre|mot) d'adieu|(?:voulait|veut|voudrait) (?:mourir|se tuer|se suicider|en finir)"
        r"|(?:il|elle) se (?:fait du mal|scarifie|coupe))\b",
        "n",
    ),
    # de
    _r(
        "de_nat_suicide",
        "suicide",
        r"\b"
        + _any(
            "nicht mehr (?:aufwachen|leben|da sein|hier sein|existieren)",
            "(?:besser dran|glucklicher|gluecklicher|besser) ohne mich",
            "(?:niemandem|keinem) mehr (?:eine |zur )?last",
            "(?:habe|hab) mich (?:schon )?von allen verabschiedet",
            "heute nacht ist es so weit",
            "mein leben beenden",
            "(?:will|mochte|moechte) (?:einfach )?(?:sterben|tot sein|verschwinden)",
        )
        + r"\b",
        "n",
    ),
    _r(
        "de_nat_self_harm",
        "self_harm",
        r"\b(?:mich (?:\w+ ){0,2}(?:selbst )?verletzt|mich (?:selbst )?(?:zu )?verletzen|m"
        r"ir (?:selbst )?weh ?(?:zu )?tun"
        r"|ritze mich|mich geritzt)\b",
        "n",
    ),
    _r(
        "de_nat_harm",
        "harm_to_others",
        r"\bich (?:werde|will|wurde) (?!mich\b)(?:\w+ ){1,3}(?:wehtun|weh tun|umbringen|verletzen|toten|schlagen)\b",
        "n",
    ),
    _r(
        "de_nat_abuse",
        "abuse",
        r"\b(?:(?:hat|hatte) mich (?:\w+ )?(?:gewurgt|geschlagen|vergewaltigt|bedroht)|(?:er|sie) (?:schlagt|schlaegt"
        r"|wurgt|bedroht|verprugelt) mich|schlagt mich|angst vor (?:ihm|meinem (?:mann|freund|vater)))\b",
        "n",
    ),
    _r(
        "de_nat_medical",
        "medical",
        r"\b(?:(?:viel )?zu viele? (?:von )?(?:meinen )?(?:medikamente\w*|tabletten|pillen)|atmet (?:nicht|kaum)"
        r"|bewusstlos|(?:schmerzen|druck) in der brust|brustschmerzen|zusammengebrochen|reagiert nicht)\b",
        "n",
    ),
    _r(
        "de_nat_other",
        "other_at_risk",
        r"\b(?:abschiedsbrief|abschiedsnachricht|sich (?:\w+ ){0,2}(?:umbringen|das leben "
        r"nehmen) (?:will|wollte|mochte)"
        r"|(?:er|sie) (?:will|wollte) sich (?:\w+ ){0,2}umbringen|(?:er|sie) verletzt sich)\b",
        "n",
    ),
    # pt
    _r(
        "pt_nat_suicide",
        "suicide",
        r"\b"
        + _any(
            "(?:nao quero|nao queria) mais (?:acordar|existir|estar aqui|viver)",
            "nao existir mais",
            "sumir (?:pra|para) sempre",
            "(?:nao vou ser )?(?:um )?(?:problema|peso|fardo) (?:pra|para) (?:ninguem|todo mundo|todos)",
            "me despedi de (?:todo mundo|todos)",
            "(?:quero|vou) tentar de novo",
            "(?:decidi|vou) (?:acabar com|por fim a|terminar) (?:a )?minha vida",
            "acabar com a minha vida",
            "(?:estariam|ficariam|seriam) (?:mais felizes|melhor) sem mim",
            "melhor sem mim",
        )
        + r"\b",
        "n",
    ),
    _r("pt_nat_self_harm", "self_harm", r"\b(?:me machuquei|me cortei|me feri|me machucar de novo)\b", "n"),
    _r(
        "pt_nat_harm",
        "harm_to_others",
        r"\b(?:vou|quero) (?:machucar|matar|bater em|ferir) (?:o|a|meu|minha|esse|essa|ele|ela)\b",
        "n",
    ),
    _r(
        "pt_nat_abuse",
        "abuse",
        r"\b(?:me bate|me bateu|me agrediu|me estrangulou|me enforcou|me ameaca|nao me deixa sair|medo de voltar pra"
        r" casa)\b",
        "n",
    ),
    _r(
        "pt_nat_medical",
        "medical",
        r"\b(?:engoliu|nao (?:esta )?respira\w*|desmaiou|desmaiada|desmaiado|inconsciente|dor no peito|(?:remedios?"
        r"|comprimidos) demais|tomei demais)\b",
        "n",
    ),
    _r(
        "pt_nat_other",
        "other_at_risk",
        r"\b(?:(?:mensagem|carta|bilhete) de despedida|(?:quer|queria) (?:se matar|morrer|sumir)|(?:esta|anda) se"
        r" (?:machucando|cortando|ferindo))\b",
        "n",
    ),
    # it
    _r(
        "it_nat_suicide",
        "suicide",
        r"\b"
        + _any(
            "non voglio piu (?:svegliarmi|esistere|stare qui|vivere|esserci)",
            "(?:non saro piu )?(?:un )?peso per (?:nessuno|tutti)",
            "ho (?:gia )?salutato tutti",
            "stasera e la sera",
            "sparire per sempre",
            "(?:starebbero|vivrebbero|sarebbero) meglio senza di me",
            "meglio senza di me",
            "voglio morire",
            "farla finita",
        )
        + r"\b",
        "n",
    ),
    _r("it_nat_self_harm", "self_harm", r"\b(?:mi sono fatt[oa] del male|mi sono ferit[oa]|mi ferisco)\b", "n"),
    _r(
        "it_nat_harm",
        "harm_to_others",
        r"\b(?:(?:faccio|faro|voglio fare) del male a(?:l|lla|i|d)?|(?:ammazzo|uccido|ammazzero|uccidero)"
        r" (?:il|la|mio|mia|quel\w*))\b",
        "n",
    ),
    _r(
        "it_nat_abuse",
        "abuse",
        r"\b(?:mi mette le mani addosso|mi ha (?:strangolat[oa]|menat[oa]|pres[oa] a schiaffi)|mi picchiano"
        r"|ho paura di tornare a casa)\b",
        "n",
    ),
    _r(
        "it_nat_medical",
        "medical",
        r"\b(?:(?:ha|ho) (?:bevuto|ingerito|mangiato|preso) qualcosa di (?:tossico|velenoso)|dolore al petto"
        r"|ha ingerito|non risponde|e svenut[oa])\b",
        "n",
    ),
    _r(
        "it_nat_other",
        "other_at_risk",
        r"\b(?:(?:messaggio|lettera|biglietto) di addio|vuole (?:morire|farla finita)|si (?:sta )?(?:tagliando|facendo"
        r" del male))\b",
        "n",
    ),
    # nl, pl, tr: the core phrases only
    _r(
        "nl_suicide",
        "suicide",
        r"\b(?:ik wil (?:niet meer leven|dood|sterven|er niet meer zijn)|niet meer (?:leven|wakker worden)|beter af"
        r" (?:zijn )?zonder mij|zelfmoord\w*|einde aan mijn leven)\b",
        "n",
    ),
    _r("nl_self_harm", "self_harm", r"\b(?:mezelf (?:pijn doen|snijden|verwonden)|ik snij mezelf)\b", "n"),
    _r("nl_abuse", "abuse", r"\b(?:slaat me|slaat mij|mishandelt me|bedreigt me)\b", "n"),
    _r("nl_other", "other_at_risk", r"\b(?:einde aan (?:haar|zijn) leven|wil (?:zij|hij) dood|afscheidsbrief)\b", "n"),
    _r(
        "pl_suicide",
        "suicide",
        r"(?:nie chce (?:juz )?zyc|zabic sie|samobojst\w*|(?:byliby|bylby|byloby) \w* ?beze mnie|chce umrzec)",
        "n",
    ),
    _r("pl_self_harm", "self_harm", r"(?:sobie krzywde|samookalecz\w*|tne sie)", "n"),
    _r("pl_medical", "medical", r"(?:nie oddycha|zemdla\w*|stracil\w* przytomnosc)", "n"),
    _r(
        "tr_suicide",
        "suicide",
        r"(?:yasamak istemiyorum|olmek istiyorum|kendimi oldur\w*|intihar\w*|bensiz (?:daha )?(?:mutlu|iyi))",
        "n",
    ),
    _r("tr_abuse", "abuse", r"(?:beni dov\w*|bana vuruyor)", "n"),
    _r("tr_other", "other_at_risk", r"(?:kendini oldur\w*)", "n"),
)
MULTILINGUAL = MULTILINGUAL + _MULTI_NATURAL


# Everyday non-English phrasings from the round-9 train/dev misses, written as general forms: sleep without waking,
# farewells and "not here tomorrow", violence happening now, loss of control, stroke and breathing signs, and someone
# else saying goodbye. Accents stripped; guards as for the phrases above.
_MULTI_EVERYDAY: tuple[Rule, ...] = (
    _r(
        "es_day_suicide",
        "suicide",
        r"\b"
        + _any(
            "me voy a quitar la vida",
            "me quito la vida",
            "dormir y (?:no|nunca mas) (?:volver a )?despertar(?:me)?",
            "(?:ya )?no (?:voy a|vuelvo a) estar (?:aqui|aca|mucho tiempo)",
            "esta es mi despedida",
            "(?:hoy|esta) es (?:mi|la) ultima noche",
            "(?:hoy|manana) es mi ultimo dia",
        )
        + r"\b",
        "bipf",
    ),
    _r(
        "es_day_abuse",
        "abuse",
        r"\b(?:me acaba de (?:pegar|golpear|empujar)|si (?:me voy|lo dejo|la dejo|lo denuncio|la denuncio|hablo)"
        r"(?: \w+){0,4} me (?:mata|matara|va a matar)|me (?:quito|ha quitado|quita) (?:el movil|el celular|las llaves)"
        r"|me empuja\w*)\b",
        "nif",
    ),
    _r("es_day_harm", "harm_to_others", r"\bno respondo de mi\b", "nif"),
    _r(
        "es_day_medical",
        "medical",
        r"\b(?:se le cae (?:un lado de )?la cara|no mueve (?:un lado|la mitad)|dificultad (?:para|pa) respirar"
        r"|me duele (?:mucho )?el pecho)\b",
        "f",  # "no puede hablar bien y no mueve un lado": the negations are the symptoms
    ),
    _r(
        "es_day_other",
        "other_at_risk",
        r"\b(?:(?:hoy|manana) es su ultimo dia|(?:audio|mensaje|video|carta) (?:\w+ ){0,2}despidiendose|se (?:esta )?"
        r"despid(?:io|iendo) de (?:todos|todo el mundo)|ya no quiere vivir)\b",
        "nf",
    ),
    _r("es_day_sh", "self_harm", r"\bme (?:estoy|sigo) haciendo dano\b", "nip"),
    _r(
        "fr_day_suicide",
        "suicide",
        r"\b"
        + _any(
            "je pense au suicide",
            "ne plus jamais me reveiller",
            "m'endormir et ne plus me reveiller",
            "que tout s'arrete (?:pour de bon|pour toujours|definitivement)",
            "je ne serai plus la",
            "j'en finis (?:pour de bon|ce soir|cette nuit)",
            "que tout s'arrete,? pour de bon",
            "(?:seraient|serait) plus (?:tranquilles?|heureux|heureuses|libres?) (?:si je n'etais plus la|sans moi)",
        )
        + r"\b",
        "bipf",
    ),
    _r("fr_day_abuse", "abuse", r"\bm'a (?:poussee?|bousculee?|giflee?)\b", "nipf"),
    _r("fr_day_harm", "harm_to_others", r"\bje vais lui faire (?:vraiment |tres )?mal\b", "nif"),
    _r("fr_day_medical", "medical", r"\b(?:ne (?:me )?repond plus|respire a peine)\b", "nf"),
    _r(
        "fr_day_other",
        "other_at_risk",
        r"\b(?:ne (?:voulait|veut) plus vivre|n'a(?:vait)? plus (?:de|aucune) raison de vivre)\b",
        "nf",
    ),
    _r(
        "de_day_suicide",
        "suicide",
        r"\b"
        + _any(
            r"(?:habe|hab) (?:\w+ ){0,3}abschiedsbriefe? geschrieben",
            "nicht mehr aufzuwachen",
            r"(?:bin ich|ich bin) (?:\w+ )?nicht mehr da",
            "heute nacht ist es vorbei",
            "nicht mehr weitermachen (?:will|mochte|moechte|kann)",
        )
        + r"\b",
        "nipf",
    ),
    _r(
        "de_day_harm",
        "harm_to_others",
        r"\b(?:tu ich (?:\w+ ){0,2}was an|(?:kann mich|mich) nicht mehr beherrschen)\b",
        "nif",
    ),
    _r("pt_day_suicide", "suicide", r"\bdormir e (?:nunca mais acordar|nao acordar mais)\b", "bipf"),
    _r("pt_day_medical", "medical", r"\bdificuldade (?:pra|para) respirar\b", "nf"),
)
MULTILINGUAL = MULTILINGUAL + _MULTI_EVERYDAY

# Afraid of hitting one's own child or partner, and someone barely breathing (es, fr, de, it, pt; accents stripped)
_MULTI_PASSING: tuple[Rule, ...] = (
    _r(
        "es_passing_harm",
        "harm_to_others",
        r"\bmiedo de (?:pegarle|golpear(?:le)?|lastimar(?:le)?|hacerle dano) a (?:mi|mis)\b",
        "nif",
    ),
    _r(
        "fr_passing_harm",
        "harm_to_others",
        r"\bpeur de (?:frapper|blesser|taper|faire du mal a) (?:mon|ma|mes)\b",
        "nif",
    ),
    _r(
        "de_passing_harm",
        "harm_to_others",
        r"\bangst,? (?:\w+ ){1,3}(?:zu schlagen|weh zu tun|was anzutun|etwas anzutun)\b",
        "nif",
    ),
    _r(
        "it_passing_harm",
        "harm_to_others",
        r"\bpaura di (?:picchiare|colpire|fare del male a) (?:mio|mia|miei|mie)\b",
        "nif",
    ),
    _r(
        "pt_passing_harm",
        "harm_to_others",
        r"\bmedo de (?:bater|machucar|fazer mal) (?:no|na|em|ao|a) (?:meu|minha)\b",
        "nif",
    ),
    _r(
        "multi_passing_breathing",
        "medical",
        r"\b(?:ne respire (?:presque|quasiment|quasi) (?:plus|pas)|casi no respira|quase nao respira|quasi non"
        r" respira|respira a fatica|atmet fast nicht(?: mehr)?)\b",
        "nf",
    ),
)
MULTILINGUAL = MULTILINGUAL + _MULTI_PASSING

# Everyday phrasings per language and category, written from round 10's train/dev misses as general forms
# (accents stripped; patterns that hold their own negation take guards before the phrase only)
_MULTI_ROUND10: tuple[Rule, ...] = (
    _r(
        "es_r10_suicide",
        "suicide",
        r"\b(?:"
        r"sui[cs]+idar(?:me|se)|ya no le veo (?:el )?sentido a (?:levantarme|vivir|seguir|nada)|(?:he esta"
        r"do|estoy|estuve) (?:mirando|buscando) como hacerlo|ya lo tengo (?:todo )?decidido\b.{0,80}\b(?:s"
        r"upiera|ya no este|no sufran|viernes|sabado|domingo|esta noche|manana)|cuando yo ya no este|graci"
        r"as por todo\b.{0,60}\b(?:sabra que hacer|ya no (?:me )?(?:hace|hara) falta)|sabra que hacer con "
        r"lo demas"
        r")\b",
        "bipf",
    ),
    _r(
        "es_r10_self_harm",
        "self_harm",
        r"\b(?:"
        r"(?:que nadie vea|esconder|tapar|ocultar) (?:las|mis) (?:marcas|cicatrices|cortes|heridas)|voy a "
        r"castigarme|me merezco que me duela|me he vuelto a (?:hacer dano|cortar|lastimar)"
        r")\b",
        "nipf",
    ),
    _r(
        "es_r10_harm",
        "harm_to_others",
        r"\b(?:"
        r"(?:le|les) voy a hacer (?:mucho )?dano|podria hacerle dano|se donde vive\b.{0,80}\b(?:esta noche"
        r"|voy a ir|manana|a mi manera)|arreglarlo a mi manera"
        r")\b",
        "nif",
    ),
    _r(
        "es_r10_abuse",
        "abuse",
        r"\b(?:"
        r"ha roto la puerta|me ha empujado|me empujo contra|me va a ensenar lo que pasa|dando golpes a la "
        r"puerta|aporreando la puerta|(?:gritando|golpes|golpeando)\b.{0,80}\b(?:encerrad[oa]s?|escondid[o"
        r"a]s?)"
        r")\b",
        "nipf",
    ),
    _r(
        "es_r10_medical",
        "medical",
        r"\b(?:"
        r"pecho\b.{0,60}\bbrazo izquierdo"
        r")\b",
        "nf",
    ),
    _r(
        "es_r10_other",
        "other_at_risk",
        r"\b(?:"
        r"desaparecer(?:a|e|)? para siempre|(?:dice|diciendo|dijo) que sobra|sobr[ao] en (?:esta|mi|la) (?"
        r":familia|casa)"
        r")\b",
        "nipf",
    ),
    _r(
        "fr_r10_suicide",
        "suicide",
        r"\b(?:"
        r"(?:ecrit|laisse) des lettres (?:pour|a) (?:ma|mon|mes)|fatigue\w* de vivre|(?:je veux|jveux|j've"
        r"ux) (?:juste )?que (?:ca|tout) s'arrete|(?:etre sure?|que ca) (?:que ca )?marche du premier coup"
        r"|me foutre en l'air|jme fous en l'air|me suicide\b|me suicid(?:er|ais|erai)\b|(?:confie|donne|la"
        r"isse) (?:mon|ma|mes) (?:chat|chien|animaux)\b.{0,80}\b(?:vide|range|calme|plus besoin)"
        r")\b",
        "bipf",
    ),
    _r(
        "fr_r10_self_harm",
        "self_harm",
        r"\b(?:"
        r"(?:cache|cacher) (?:mes|les) (?:marques|cicatrices|coupures)|(?:bras|poignets|cuisses) (?:sont )"
        r"?(?:pleins|couverts) de (?:marques|cicatrices|coupures)|l'envie est trop forte\b.{0,60}\b(?:je ("
        r"?:ne )?tiens plus|salle de bain)"
        r")\b",
        "nipf",
    ),
    _r(
        "fr_r10_harm",
        "harm_to_others",
        r"\b(?:"
        r"(?:je vais|jvais) (?:lui|leur) faire payer\b.{0,60}\b(?:ce soir|demain|va comprendre|vont compre"
        r"ndre)|peur de perdre le controle et de (?:frapper|blesser|taper)|je sais (?:ou|a quelle heure) ("
        r"?:il|elle)\b.{0,80}\b(?:regretter|payer|comprendre)"
        r")\b",
        "nif",
    ),
    _r(
        "fr_r10_abuse",
        "abuse",
        r"\b(?:"
        r"me fait des (?:trucs|choses)\b.{0,80}\bsecret|(?:un homme|quelqu'un|un mec|un type) (?:qui )?me "
        r"suit"
        r")\b",
        "nipf",
    ),
    _r(
        "fr_r10_medical",
        "medical",
        r"\b(?:"
        r"(?:bouche|visage) qui tombe d'un cote|saigne (?:enormement|beaucoup|trop)\b.{0,40}\bs'arrete pas"
        r"|(?:se reveille|se reveil) pas\b.{0,60}\brespire|respire bizarrement"
        r")\b",
        "bf",
    ),
    _r(
        "fr_r10_other",
        "other_at_risk",
        r"\b(?:"
        r"(?:il|elle) va se faire du mal|veu[tx] (?:aller )?rejoindre (?:maman|papa|sa femme|son mari|sa m"
        r"ere|son pere|ma mere|mon pere|mamie|papi)"
        r")\b",
        "nipf",
    ),
    _r(
        "de_r10_suicide",
        "suicide",
        r"\b(?:"
        r"am schnellsten,? ohne dass es weh ?tut|einen plan und einen (?:termin|tag|zeitpunkt)|(?:hatten|h"
        r"aetten|waren|waeren|sind|ist) (?:es |sie )?ohne mich (?:besser|gluecklicher|glucklicher)|(?:bin|"
        r"ich bin) (?:nur noch )?eine last|(?:das ist )?meine letzte nachricht|danke (?:fur|fuer) alles\b."
        r"{0,80}\b(?:letzte|passt auf euch auf|lebt wohl)"
        r")\b",
        "bipf",
    ),
    _r(
        "de_r10_self_harm",
        "self_harm",
        r"\b(?:"
        r"verdiene (?:es,? )?schmerzen|(?:wieder )?den drang,? (?:mich|mir) (?:\w+ )?(?:weh|zu verletzen|w"
        r"as anzutun)|hab'?s wieder getan\b.{0,60}\bdrang"
        r")\b",
        "nipf",
    ),
    _r(
        "de_r10_harm",
        "harm_to_others",
        r"\b(?:"
        r"gedanken,? (?:\w+ ){1,3}(?:etwas|was) anzutun|angst,? dass ich (?:\w+ ){1,3}(?:etwas |was )?(?:a"
        r"ntue|antu|weh tue|wehtue|schlage)|(?:tu|tue) (?:ihm|ihr|ihnen) (?:richtig )?weh"
        r")\b",
        "nif",
    ),
    _r(
        "de_r10_abuse",
        "abuse",
        r"\b(?:"
        r"schlaegt er|schlagt er|schubst mich|hat mich (?:\w+ )?(?:eingesperrt|geschubst)|hat meine mutter"
        r" geschlagen|schreit vor meiner (?:tur|tuer)"
        r")\b",
        "nipf",
    ),
    _r(
        "de_r10_medical",
        "medical",
        r"\b(?:"
        r"krieg(?:e)? keine luft|nicht (?:mehr )?wach zu (?:kriegen|bekommen)|zu viel (?:\w+ )?genommen\b."
        r"{0,40}\b(?:wach|reagiert|atmet)"
        r")\b",
        "bf",
    ),
    _r(
        "de_r10_other",
        "other_at_risk",
        r"\b(?:"
        r"(?:weg|gehen),? (?:fur|fuer) immer|sich (?:\w+ ){0,2}(?:was|etwas) (?:antut|antun)|eingeschlosse"
        r"n und (?:antwortet|reagiert) nicht|keinen sinn mehr (?:sieht|sehe)"
        r")\b",
        "bipf",
    ),
    _r(
        "it_r10_suicide",
        "suicide",
        r"\b(?:"
        r"spero che mi succeda qualcosa|(?:ho lasciato|ho regalato)\b.{0,80}\bnon mi serv\w+ piu|modo per "
        r"non sentire (?:piu )?niente|non saro piu un (?:problema|peso)|al (?:mio )?funerale\b.{0,20}\bil "
        r"mio|stanc[oa] (?:di tutto,? )?di esserci|stanc[oa] di vivere|ho (?:gia )?scelto il giorno"
        r")\b",
        "bipf",
    ),
    _r(
        "it_r10_self_harm",
        "self_harm",
        r"\b(?:"
        r"voglia di farmi (?:del )?male|maniche lunghe\b.{0,60}\bnessuno (?:deve|puo) vedere"
        r")\b",
        "nipf",
    ),
    _r(
        "it_r10_harm",
        "harm_to_others",
        r"\b(?:"
        r"gliela faccio pagare|la faccio pagare a tutti|l[oa] aspetto sotto casa|(?:gli|le) faccio (?:del "
        r")?male"
        r")\b",
        "nif",
    ),
    _r(
        "it_r10_abuse",
        "abuse",
        r"\b(?:"
        r"(?:ha detto|dice) che (?:\w+ ){0,4}mi (?:ammazza|uccide)|continua a scrivermi da numeri diversi|"
        r"parcheggiat[oa] sotto casa mia"
        r")\b",
        "nipf",
    ),
    _r(
        "it_r10_medical",
        "medical",
        r"\b(?:"
        r"ha preso qualcosa\b.{0,60}\b(?:stran\w+|molle|non risponde|sonnolent\w*)|dolore (?:\w+ )?al pett"
        r"o|non riesce (?:ad|a) alzare il braccio|parla strano all'improvviso"
        r")\b",
        "bf",
    ),
    _r(
        "it_r10_other",
        "other_at_risk",
        r"\b(?:"
        r"scus\w+ per tutto\b.{0,80}\bnon (?:torna|risponde)|(?:lui|lei) non ci sara piu|non ci saro piu"
        r")\b",
        "bipf",
    ),
    _r(
        "pt_r10_suicide",
        "suicide",
        r"\b(?:"
        r"deixei cartas (?:para|pra)|jeito mais (?:garantido|rapido|facil) de (?:nao acordar|morrer|acabar"
        r")|nao vou (?:mais )?precisar mais|(?:n|nao) aguento mais (?:existir|viver)|cansad[oa] de ser um "
        r"peso|sou um peso|se eu sumisse (?:de vez|para sempre|pra sempre)"
        r")\b",
        "bipf",
    ),
    _r(
        "pt_r10_self_harm",
        "self_harm",
        r"\b(?:"
        r"eu me bato|me bato quando"
        r")\b",
        "nipf",
    ),
    _r(
        "pt_r10_harm",
        "harm_to_others",
        r"\b(?:"
        r"medo de (?:bater|machucar|fazer mal) (?:em|a|no|na) (?:alguem|alguém)"
        r")\b",
        "nif",
    ),
    _r(
        "pt_r10_abuse",
        "abuse",
        r"\b(?:"
        r"me empurrou|me trancou|batendo na porta do meu quarto"
        r")\b",
        "nipf",
    ),
    _r(
        "pt_r10_medical",
        "medical",
        r"\b(?:"
        r"(?:dificil|custoso) (?:de|pra|para) respirar|dor de cabeca\b.{0,40}\ba pior da minha vida|(?:nao"
        r"|n) consigo falar direito"
        r")\b",
        "bf",
    ),
    _r(
        "pt_r10_other",
        "other_at_risk",
        r"\b(?:"
        r"(?:esta|ta) se (?:machucando|cortando)|distribuiu as coisas (?:dele|dela)"
        r")\b",
        "nipf",
    ),
    _r(
        "nl_r10_suicide",
        "suicide",
        r"\b(?:"
        r"niet meer wakker (?:te )?word|zonder mij (?:hebben|zijn|zou|zouden) (?:ze|jullie|iedereen) (?:\w"
        r"+ ){0,2}(?:rust|beter|gelukkiger)|hoe zorg je (?:ervoor )?dat het (?:de eerste keer )?lukt|unali"
        r"ven|zie het nut niet meer (?:van|in)|(?:mijn|zijn|haar) spullen (?:verdeeld|weggegeven)|afscheid"
        r" genomen van iedereen"
        r")\b",
        "bipf",
    ),
    _r(
        "nl_r10_self_harm",
        "self_harm",
        r"\b(?:"
        r"mezelf (?:weer |opnieuw )?pijn (?:gedaan|doen)|mezelf iets aan (?:te )?doen"
        r")\b",
        "nipf",
    ),
    _r(
        "nl_r10_harm",
        "harm_to_others",
        r"\b(?:"
        r"ga (?:hem|haar) (?:\w+ ){0,3}opwachten|wou ik (?:mijn \w+|hem|haar) (?:echt )?pijn doen"
        r")\b",
        "nif",
    ),
    _r(
        "nl_r10_abuse",
        "abuse",
        r"\b(?:"
        r"(?:heeft|had) me (?:\w+ ){0,4}(?:geslagen|geduwd|geschopt)|(?:gaat|gaan) (?:mij|me) (?:ook )?sla"
        r"an|zodat ik niet weg kan"
        r")\b",
        "nipf",
    ),
    _r(
        "nl_r10_medical",
        "medical",
        r"\b(?:"
        r"reageert niet meer|flauwgevallen\b.{0,60}\breageert|(?:kan|kon) (?:bijna )?niet (?:meer )?ademen"
        r"|pijn op (?:mijn|de) borst|bloedt (?:heel )?erg|blijft (?:maar )?(?:door)?bloeden"
        r")\b",
        "bf",
    ),
    _r(
        "nl_r10_other",
        "other_at_risk",
        r"\b(?:"
        r"(?:wil|wilt) er niet meer zijn|niet meer (?:wil|wilt) leven"
        r")\b",
        "bipf",
    ),
)
MULTILINGUAL = MULTILINGUAL + _MULTI_ROUND10

# Round 11's train/dev misses as general forms, per language and category (accents stripped)
_MULTI_ROUND11: tuple[Rule, ...] = (
    _r(
        "es_r11_suicide",
        "suicide",
        r"\b(?:"
        r"quiero (?:solo |solamente )?(?:morir(?:me)?|matarme)|no le veo (?:el )?sentido a seguir|quitarme"
        r" de en medio|ya no voy a molestar|(?:diganle|decile|dile|digan) a \w+ (?:\w+ )?que no fue su cul"
        r"pa|si manana no me despierto|desaparec\w* de este mundo|ya tengo decidido (?:cuando|como|el dia)"
        r"|ya no (?:la|lo|los|las) voy a necesitar|no salgo viva?"
        r")\b",
        "bipf",
    ),
    _r(
        "es_r11_self_harm",
        "self_harm",
        r"\b(?:"
        r"(?:me )?quiero hacer(?:me)? dano|castigarme el cuerpo|urgencia de castigarme|manga larga para qu"
        r"e no (?:vean|se vean)"
        r")\b",
        "bipf",
    ),
    _r(
        "es_r11_harm",
        "harm_to_others",
        r"\b(?:"
        r"le parto la cara|perder el control y hacerle dano"
        r")\b",
        "nif",
    ),
    _r(
        "es_r11_abuse",
        "abuse",
        r"\b(?:"
        r"me toca cuando|me encerre en el bano|rompiendo cosas\b.{0,40}\bencerr\w+"
        r")\b",
        "nipf",
    ),
    _r(
        "es_r11_medical",
        "medical",
        r"\b(?:"
        r"no mueve el brazo|no puede hablar bien|no se despierta|respira muy lento"
        r")\b",
        "bf",
    ),
    _r(
        "es_r11_other",
        "other_at_risk",
        r"\b(?:"
        r"que no la busque|que no lo busque|ya ha tomado una decision\b.{0,60}\bno contesta"
        r")\b",
        "bipf",
    ),
    _r(
        "fr_r11_suicide",
        "suicide",
        r"\b(?:"
        r"me suc?i?d(?:er|e)|la derniere fois que je me connecte|(?:soulage|mieux) si je n'etais plus la|j"
        r"e ne suis qu'un poids|rendu les cles\b.{0,80}\bje suis pret"
        r")\b",
        "bipf",
    ),
    _r(
        "fr_r11_self_harm",
        "self_harm",
        r"\b(?:"
        r"j'ai recommence\b.{0,20}\bapres (?:un|deux|trois|\d+|des) |cache(?:r)? mes (?:cuisses|bras|poign"
        r"ets)\b.{0,80}\bmarques"
        r")\b",
        "nipf",
    ),
    _r(
        "fr_r11_harm",
        "harm_to_others",
        r"\b(?:"
        r"je vais (?:le|la|les) buter|je (?:le|la) tue\b.{0,30}\b(?:pas une joke|pas une blague|serieux)"
        r")\b",
        "nif",
    ),
    _r(
        "fr_r11_abuse",
        "abuse",
        r"\b(?:"
        r"il a pris mon telephone et mes cles|il nous frappe|m'attend en bas de chez moi|j'ose pas sortir"
        r")\b",
        "nipf",
    ),
    _r(
        "fr_r11_other",
        "other_at_risk",
        r"\b(?:"
        r"pardon pour tout\b.{0,40}\b(?:repond|reponds) (?:pu|plus|pas)|(?:voulait|veut) disparaitre|avait"
        r" tout prevu pour|n'aurait plus a (?:le|la) supporter"
        r")\b",
        "bipf",
    ),
    _r(
        "de_r11_suicide",
        "suicide",
        r"\b(?:"
        r"wenn ich (?:einfach )?nicht mehr da (?:ware|waere|wär)|ich hab(?:e)? alles geregelt|schnellste w"
        r"eg raus|sehe ich keinen grund mehr|keinen grund mehr zu leben|mir das leben (?:zu )?nehmen"
        r")\b",
        "bipf",
    ),
    _r(
        "de_r11_self_harm",
        "self_harm",
        r"\b(?:"
        r"lange (?:armel|aermel)\b.{0,60}\bausreden"
        r")\b",
        "nipf",
    ),
    _r(
        "de_r11_harm",
        "harm_to_others",
        r"\b(?:"
        r"ich (?:tu|tue) (?:ihm|ihr|ihnen) (?:heute |morgen |jetzt )?(?:was|etwas) an|dann passiert was|wi"
        r"rd (?:morgen|es) bereuen"
        r")\b",
        "nif",
    ),
    _r(
        "de_r11_abuse",
        "abuse",
        r"\b(?:"
        r"blauen flecken\b.{0,60}\b(?:niemandem|nicht erzahlen|nicht erzaehlen|bose|boese)|bringt er mich "
        r"um|lasst mich nicht aus der wohnung|laesst mich nicht aus der wohnung"
        r")\b",
        "nipf",
    ),
    _r(
        "de_r11_medical",
        "medical",
        r"\b(?:"
        r"wacht nicht (?:mehr )?auf|umgekippt|blutet wie verruckt|blutet wie verrueckt|hort nicht auf zu b"
        r"luten|atmet ganz komisch"
        r")\b",
        "bf",
    ),
    _r(
        "de_r11_other",
        "other_at_risk",
        r"\b(?:"
        r"(?:ihr|sein) letzter post|alle seine sachen verschenkt|alle ihre sachen verschenkt|(?:er|sie) wi"
        r"ll nicht mehr\b"
        r")\b",
        "bipf",
    ),
    _r(
        "it_r11_suicide",
        "suicide",
        r"\b(?:"
        r"mi ammazzo|voglio (?:solo )?morire|la faccio finita|voglio uc+idermi|andarsene senza soffrire|se"
        r" (?:domani |io )?non ci fossi piu"
        r")\b",
        "bipf",
    ),
    _r(
        "it_r11_self_harm",
        "self_harm",
        r"\b(?:"
        r"mi punisco"
        r")\b",
        "nipf",
    ),
    _r(
        "it_r11_harm",
        "harm_to_others",
        r"\b(?:"
        r"(?:lo|la) ammazzo"
        r")\b",
        "nif",
    ),
    _r(
        "it_r11_abuse",
        "abuse",
        r"\b(?:"
        r"prendendo a calci la porta|sono bloccata in camera|e il nostro segreto"
        r")\b",
        "nipf",
    ),
    _r(
        "it_r11_medical",
        "medical",
        r"\b(?:"
        r"si sta gonfiando|respira male|ho esagerato con le pillole"
        r")\b",
        "bf",
    ),
    _r(
        "it_r11_other",
        "other_at_risk",
        r"\b(?:"
        r"(?:stanotte|stasera|oggi) la fa finita|la fa finita|(?:il padre|la madre) la picchia|paura di to"
        r"rnare a casa"
        r")\b",
        "bipf",
    ),
    _r(
        "pt_r11_suicide",
        "suicide",
        r"\b(?:"
        r"ja escrevi as cartas|cansad[oa] de viver|apagar de vez|se eu sumir|tchau de verdade|ja escolhi o"
        r" dia|se eu me desligar|(?:to|tou|estou) decidid[oa]"
        r")\b",
        "bipf",
    ),
    _r(
        "pt_r11_self_harm",
        "self_harm",
        r"\b(?:"
        r"magoei-me (?:outra vez )?de proposito|me machuquei de proposito|fiz de novo\b.{0,80}\bninguem (?"
        r":em casa )?pode saber"
        r")\b",
        "nipf",
    ),
    _r(
        "pt_r11_harm",
        "harm_to_others",
        r"\b(?:"
        r"acabar com a raca|vai pagar pelo que fez|pensamentos de magoar"
        r")\b",
        "nif",
    ),
    _r(
        "pt_r11_abuse",
        "abuse",
        r"\b(?:"
        r"bate-me|(?:me|esta|ta) seguindo desde|me poe na rua"
        r")\b",
        "nipf",
    ),
    _r(
        "pt_r11_medical",
        "medical",
        r"\b(?:"
        r"nao acorda|nao consegue mexer o braco|falar tudo trocado|boca (?:ta|esta) ficando roxa|coracao ("
        r"?:ta|esta) disparado"
        r")\b",
        "bf",
    ),
    _r(
        "pt_r11_other",
        "other_at_risk",
        r"\b(?:"
        r"tomou um monte de remedio|ja tem tudo (?:planeado|planejado)"
        r")\b",
        "bipf",
    ),
    _r(
        "nl_r11_suicide",
        "suicide",
        r"\b(?:"
        r"zie het nie?t? meer zitten|(?:dit is )?mijn laatste bericht|in (?:een|1) keer lukt|een einde aan"
        r" (?:gaat|wil|ga) maken"
        r")\b",
        "bipf",
    ),
    _r(
        "nl_r11_self_harm",
        "self_harm",
        r"\b(?:"
        r"mezelf straffen|mezelf iets (?:wil )?aandoen|armen (?:moet )?verbergen"
        r")\b",
        "nipf",
    ),
    _r(
        "nl_r11_harm",
        "harm_to_others",
        r"\b(?:"
        r"(?:mijn|de) \w+ iets aandoe|ga ik (?:hem|haar) iets aandoen"
        r")\b",
        "nif",
    ),
    _r(
        "nl_r11_abuse",
        "abuse",
        r"\b(?:"
        r"heeft mama (?:weer )?pijn gedaan|heeft (?:mij|me) (?:weer )?pijn gedaan"
        r")\b",
        "nipf",
    ),
    _r(
        "nl_r11_medical",
        "medical",
        r"\b(?:"
        r"te veel van mijn medicijnen genomen"
        r")\b",
        "bf",
    ),
    _r(
        "nl_r11_other",
        "other_at_risk",
        r"\b(?:"
        r"zorg goed voor de kinderen\b.{0,40}\bneemt niet op"
        r")\b",
        "bipf",
    ),
)
MULTILINGUAL = MULTILINGUAL + _MULTI_ROUND11

# Round 12's train/dev misses as general forms, per language and category (accents stripped)
_MULTI_ROUND12: tuple[Rule, ...] = (
    _r(
        "es_r12_suicide",
        "suicide",
        r"\b(?:"
        r"(?:forma|manera) mas rapida de irse|irme de este mundo|k?quiero desaparecer pa(?:ra)? siempre|si"
        r" (?:yo )?desapareciera\b.{0,40}\b(?:nadie|no pasaria nada)|cansad[oa] de luchar|(?:he escrito|ya"
        r" les escribi) (?:unas |las )?cartas|cartas de despedida|me despedi de (?:mis|mi) \w+ como si fue"
        r"ra la ultima vez|no pienso estar aqui|ya he hecho bastante|si manana no aparezco"
        r")\b",
        "bipf",
    ),
    _r(
        "es_r12_self_harm",
        "self_harm",
        r"\b(?:"
        r"hacia (?:anos|meses) que no me hacia dano|volvi a hacerme dano"
        r")\b",
        "nipf",
    ),
    _r(
        "es_r12_harm",
        "harm_to_others",
        r"\b(?:"
        r"lo mato\b.{0,40}\ben serio|perder el control con mi bebe|ganas de sacudirlo"
        r")\b",
        "nif",
    ),
    _r(
        "es_r12_abuse",
        "abuse",
        r"\b(?:"
        r"me dejo moratones"
        r")\b",
        "nipf",
    ),
    _r(
        "es_r12_medical",
        "medical",
        r"\b(?:"
        r"cara (?:como )?caida|no puede mover el brazo|no siente el brazo"
        r")\b",
        "bf",
    ),
    _r(
        "es_r12_other",
        "other_at_risk",
        r"\b(?:"
        r"esta noche se despide|ya (?:lo )?tiene todo (?:planeado|pensado)|perdoname por todo\b.{0,40}\bno"
        r" contesta|se ha hecho dano|ya no tendras que preocuparte por mi"
        r")\b",
        "bipf",
    ),
    _r(
        "fr_r12_suicide",
        "suicide",
        r"\b(?:"
        r"je veux pas me rater|qu'est-ce qui marche vraiment|un poids pour (?:mes|ma|mon)|soulage\w* si je"
        r" n'etais plus la|plus envie de me battre|j'aurai plus aucun probleme|m'endorm\w* pour toujours|n"
        r"e pense pas tenir jusqu'a demain|plus de raison de vivre|j'ai tout donne\b.{0,60}\bje suis prete"
        r"?"
        r")\b",
        "bipf",
    ),
    _r(
        "fr_r12_self_harm",
        "self_harm",
        r"\b(?:"
        r"envie de me punir|merite d'avoir mal"
        r")\b",
        "nipf",
    ),
    _r(
        "fr_r12_harm",
        "harm_to_others",
        r"\b(?:"
        r"je l'attends en bas\b.{0,40}\bregretter"
        r")\b",
        "nif",
    ),
    _r(
        "fr_r12_abuse",
        "abuse",
        r"\b(?:"
        r"il m'a encore frappee?"
        r")\b",
        "nipf",
    ),
    _r(
        "fr_r12_medical",
        "medical",
        r"\b(?:"
        r"se tient la poitrine"
        r")\b",
        "bf",
    ),
    _r(
        "fr_r12_other",
        "other_at_risk",
        r"\b(?:"
        r"(?:avait|a) choisi (?:une|la) date|si jamais il m'arrive quelque chose|veut que tout s'arrete|ne"
        r" sera plus la (?:lundi|demain|ce soir)|adieu\b.{0,40}\brepond (?:plus|pu|pas)|partir pour de bon"
        r")\b",
        "bipf",
    ),
    _r(
        "de_r12_suicide",
        "suicide",
        r"\b(?:"
        r"die einzige losung|die einzige loesung|sel?bstmord|warte (?:ich )?nur noch darauf,? dass es vorb"
        r"ei ist|helfe ich bald nach|datum ausgesucht|brauch(?:e)? (?:ich |sie |das )?(?:ja )?(?:bald )?ni"
        r"cht mehr|komme nicht mehr zuruck|komme nicht mehr zurueck|(?:mochte|moechte) zu (?:ihr|ihm)|nur "
        r"noch im weg|von (?:meinen|allen) \w* ?verabschiedet,? ohne dass"
        r")\b",
        "bipf",
    ),
    _r(
        "de_r12_self_harm",
        "self_harm",
        r"\b(?:"
        r"mit absicht weh ?getan|der drang (?:ist )?wieder da"
        r")\b",
        "nipf",
    ),
    _r(
        "de_r12_harm",
        "harm_to_others",
        r"\b(?:"
        r"dafur bezahlt|dafuer bezahlt|nicht mehr unter kontrolle|wird das bereuen"
        r")\b",
        "nif",
    ),
    _r(
        "de_r12_abuse",
        "abuse",
        r"\b(?:"
        r"gegen die wand gestossen|hat mich (?:gerade )?(?:wieder )?geschlagen|trau mich nicht raus"
        r")\b",
        "nipf",
    ),
    _r(
        "de_r12_medical",
        "medical",
        r"\b(?:"
        r"gesicht schwillt an|kriegt kaum luft|blutet (?:total|sehr|ganz) stark|zu viel von (?:ihren|seine"
        r"n|meinen) tabletten"
        r")\b",
        "bf",
    ),
    _r(
        "de_r12_other",
        "other_at_risk",
        r"\b(?:"
        r"es heute nacht macht|alles beenden will|es tut mir leid,? ich hab euch lieb|von allen verabschie"
        r"det,? als"
        r")\b",
        "bipf",
    ),
    _r(
        "it_r12_suicide",
        "suicide",
        r"\b(?:"
        r"non ho piu motivi per restare|ho (?:gia )?deciso come e quando|addormentarmi e non svegliarmi|sp"
        r"egnermi|stasera saluto tutti|ho scritto una lettera per \w+ \w+,? la trovera|modo meno doloroso|"
        r"ho dato via il mio (?:gatto|cane)"
        r")\b",
        "bipf",
    ),
    _r(
        "it_r12_self_harm",
        "self_harm",
        r"\b(?:"
        r"mi sono fatt[ao] di nuovo del male|bisogno di sentire dolore fisico"
        r")\b",
        "nipf",
    ),
    _r(
        "it_r12_abuse",
        "abuse",
        r"\b(?:"
        r"lividi sulle braccia|ha rotto tutti i piatti"
        r")\b",
        "nipf",
    ),
    _r(
        "it_r12_other",
        "other_at_risk",
        r"\b(?:"
        r"toglie(?:re)? il disturbo|ultimo desiderio|(?:scusa|mi dispiace) per tutto\b.{0,60}\bspento il t"
        r"elefono"
        r")\b",
        "bipf",
    ),
    _r(
        "pt_r12_suicide",
        "suicide",
        r"\b(?:"
        r"queria so apagar|como faco pra ter certeza que da certo|nao quero acordar num hospital|melhor pa"
        r"ra todos se eu nao existisse|pensando em su[ci]+idio|dar um fim nisso|queria muito morrer|pensei"
        r" em como fazer"
        r")\b",
        "bipf",
    ),
    _r(
        "pt_r12_self_harm",
        "self_harm",
        r"\b(?:"
        r"fiz de novo\b.{0,60}\b(?:medo de contar|tinha parado)"
        r")\b",
        "nipf",
    ),
    _r(
        "pt_r12_harm",
        "harm_to_others",
        r"\b(?:"
        r"vou machucar alguem|nao vou deixar barato"
        r")\b",
        "nif",
    ),
    _r(
        "pt_r12_abuse",
        "abuse",
        r"\b(?:"
        r"ja quebrou a porta|faz coisas comigo"
        r")\b",
        "nipf",
    ),
    _r(
        "pt_r12_medical",
        "medical",
        r"\b(?:"
        r"labios (?:tao|estao) ficando roxos|peito (?:ta|esta) apertado"
        r")\b",
        "bf",
    ),
    _r(
        "pt_r12_other",
        "other_at_risk",
        r"\b(?:"
        r"ja escreveu as cartas|hoje e o dia|se despedindo\b.{0,40}\bnao atende|cuidem da minha|queria nao"
        r" ter nascido|sumir de vez"
        r")\b",
        "bipf",
    ),
    _r(
        "nl_r12_suicide",
        "suicide",
        r"\b(?:"
        r"beter (?:is )?als ik er niet meer ben|er gewoon niet meer zijn|hoef ik nergens meer heen|mijn za"
        r"ken geregeld|morgen ben ik er (?:toch )?niet meer|zelfmoo?r[dt]|een eind aan te maken|snelste ma"
        r"nier|ik ben er toch niet lang meer"
        r")\b",
        "bipf",
    ),
    _r(
        "nl_r12_self_harm",
        "self_harm",
        r"\b(?:"
        r"mezelf (?:\w+ ){0,2}pijn gedaan|zichzelf pijn doet"
        r")\b",
        "nipf",
    ),
    _r(
        "nl_r12_harm",
        "harm_to_others",
        r"\b(?:"
        r"iets ga aandoen"
        r")\b",
        "nif",
    ),
    _r(
        "nl_r12_abuse",
        "abuse",
        r"\b(?:"
        r"slaat (?:ze|hij) me|(?:stiefvader|vader|moeder) (?:haar|hem|mij) pijn doet|sleutels en telefoon "
        r"afgepakt"
        r")\b",
        "nipf",
    ),
    _r(
        "nl_r12_medical",
        "medical",
        r"\b(?:"
        r"te veel van (?:haar|zijn|mijn) medicijnen"
        r")\b",
        "bf",
    ),
    _r(
        "nl_r12_other",
        "other_at_risk",
        r"\b(?:"
        r"sorry voor alles|afscheid genomen van (?:haar|zijn) ouders|een einde aan maakt"
        r")\b",
        "bipf",
    ),
)
MULTILINGUAL = MULTILINGUAL + _MULTI_ROUND12


# Broad, guarded English phrasings of the core signals (what people say, in plain words), so the rules generalise
# beyond the corpus wording; the guards (negation, idiom, past, fiction) keep the everyday uses out.
_BROAD_EN: tuple[Rule, ...] = (
    _r(
        "suicide_not_here",
        "suicide",
        r"\b(?:not (?:be|being) (?:here|around|alive)|(?:if|when) i (?:wasn't|wasnt|weren't|was not|am not|'m not|were"
        r" not) (?:here|around|alive)|disappear (?:for good|forever|permanently)|stop (?:trying to stay|existing)"
        r"|(?:tired|sick) of (?:surviving|being alive|existing|living)\b(?! (?:on|off) (?!this |earth)\w)|(?:log|loggi"
        r"ng) (?:off|out) (?:for good|of life"
        r"|permanently|forever))\b",
    ),
    _r(
        "suicide_goodbyes",
        "suicide",
        r"\b(?:(?:said|saying|say|written|wrote|writing|write) my goodbyes?|goodbye (?:letters?|notes?|messages?|"
        r"texts?|videos?)|(?:who gets|gave away|giving away|give away|rehom\w+) my (?:dog|cat|pets?|"
        r"things|stuff)|this is goodbye)\b",
    ),
    _r(
        "abuse_hurting_me",
        "abuse",
        rf"\b(?:(?:my|our) (?:\w+ )?{_PEOPLE}|he|she|they)(?:'s| is| are|'re| was| has| ke"
        r"eps| has been|'s been| just)?"
        r" (?:\w+ ){0,2}(?:hitting|beating|beat|hurt|hurting|choking|choked|strangl\w+|punch\w*|kick\w*|slap\w*"
        r"|threw (?:\w+ ){1,2}at|smashing things|break(?:ing)? things) (?:me|us|my (?:mom|mum|mother|sister|brother|"
        r"kids?|children|baby)|her)\b",
    ),
    _r(
        "abuse_hiding_followed",
        "abuse",
        r"\b(?:hiding (?:from|in|under) (?:\w+ ){0,2}(?:dad|father|mom|mum|partner|husband|boyfriend|him|her|bed|"
        r"bathroom|closet|room)|(?:someone|somebody|a man|a guy|he|she|they)(?:'s| is| has been| keeps|'s been)?"
        r" (?:\w+ )?(?:following|stalking) me|(?:scared|afraid|terrified) (?:to go home|he"
        r"'ll|he will|she'll|of what he)"
        r"|(?:he|she) (?:said|says|threatened) (?:he|she)(?:'d| would|'ll| will) kill (?:me|her|us|him))\b",
    ),
    _r(
        "medical_plain",
        "medical",
        r"\b(?:took (?:\w+ )?(?:too much|too many)|swallowed (?:some|a|an|my|his|her|the|s"
        r"omething)|(?:so much|a lot of"
        r"|lots of) blood|(?:bleeding|blood) (?:\w+ )?(?:won't|wont|isn't|is not|not) stop\w*|asthma attack|inhaler"
        r" (?:isn't|is not|not|isnt) working|(?:speech|words?) (?:\w+ )?slurr\w*|slurring|face (?:is )?droop\w*|chest"
        r" pain|blacked out|can'?t keep (?:my|his|her|their) eyes open|(?:not|isn't|isnt) (?:breathing|waking up|"
        r"responding))\b",
    ),
)
RULES = RULES + _BROAD_EN

# Plain-English phrasings of the signals the classifier misses most (passive ideation, burden, finality, notes,
# coded words, plans against a person, hidden self-harm, disclosures of abuse and some medical emergencies). Each
# names the person's own state or intent; the guards keep negation, idiom, the past and fiction out.
_PLAIN_EN: tuple[Rule, ...] = (
    _r(
        "suicide_passive_plain",
        "suicide",
        r"\b(?:(?:won't|will not|wont) be (?:a (?:problem|burden|bother)(?: (?:for|to) (?:anyone|anybody|everyone|you|"
        r"them))? (?:after|for much longer|much longer|very long|soon|anymore|any more)|(?:around|here) (?:for )?(?:mu"
        r"ch|very) longer)|(?:wouldn't|would not|don't|do not|dont) mind if (?:something|anything) (?:bad )?happen(?:s"
        r"|ed) to me|(?:pray|praying|hope|hoping|wish) (?:that )?i (?:don't|dont|do not|never|won't|wont) (?:wake up|s"
        r"ee (?:the )?(?:morning|tomorrow|another day))\b(?! (?:late|early|too|before|until|till|in time|at|on time|li"
        r"ke))|(?:don't|dont|do not|no) (?:\w+ )?intend(?:ing)? to wake up|(?:stopped|stop) seeing a future|(?:a )?fut"
        r"ure (?:with me in it|for myself)|(?:don't|dont|do not|can't|cant) see why i should (?:stay|be here|keep goin"
        r"g|go on|keep living|stick around)|(?:don't|do not|dont) (?:think|expect) i'?ll (?:still )?be alive|(?:still|"
        r"even) be alive (?:by|for|at|when|in)|no more me\b|no way out (?:of this )?(?:except|but|other than) one|run "
        r"out of reasons|(?:decided|deciding) (?:that )?(?:i'm|i am|im) not (?:going to|gonna) keep (?:going|living|fi"
        r"ghting)|make it official\b)",
        guards="bipf",
    ),
    _r(
        "suicide_burden_gone",
        "suicide",
        r"\b(?:(?:if|when) i (?:was|were|am|'m|m) (?:just |finally |)(?:gone|dead)\b(?! (?:for|to|on|away|out|with|fro"
        r"m|all|till|until|by))|remov(?:e|ing) myself (?:would|will|could) (?:fix|help|solve|make)|(?:would|will|could"
        r") (?:\w+ ){0,2}move on (?:\w+ ){0,2}if i died\b(?! \w+ (?:hair|nails))|(?:be sad|miss me|even notice|care) ("
        r"?:\w+ ){0,3}if i (?:died\b(?! (?:my|it|her|his|the|them))|was gone|were gone|was dead|wasn't here))",
    ),
    _r(
        "suicide_final_acts",
        "suicide",
        r"\b(?:if (?:anyone|anybody|someone|somebody) (?:finds|reads) this|tell (?:my \w+|\w+) (?:that )?(?:i'm|im|i a"
        r"m) sorry and (?:that )?it (?:wasn't|was not|isn't|is not) (?:your|her|his|their) fault|(?:won't|will not|won"
        r"t) (?:be )?need(?:ing)? (?:any of )?(?:it|them|my (?:things|stuff|clothes)) (?:after|anymore|any more|where "
        r"i'm going)|won't be needing any of it|(?:sleep|sleeping) for a (?:very )?long time now|the last time (?:i'll"
        r"|i will|you'll|you will) (?:ever )?(?:be on here|talk to you|hear from me|see me)|(?:worked|figured) out (?:"
        r"when and how|how and when)|(?:finally )?have a date\b(?! (?:with|for|night|tonight|tomorrow|on))|make sure ("
        r"?:nobody|no one) (?:finds|stops|can stop|will find|is around)|(?:look|looks|seem|seems) like an accident|mak"
        r"e sure (?:they|i|he|she|someone|somebody|a person) (?:don't|doesn't|won't|wouldn't|dont|doesnt) survive|thin"
        r"king (?:i should|about whether to|of trying to) try (?:it )?again)",
        guards="nf",
    ),
    _r(
        "suicide_coded_plain",
        "suicide",
        r"\b(?:(?:want to|wanna|going to|gonna|wish i could|ready to) dye\b(?! (?:my|it|her|his|the|your|our|them|some"
        r"|this|that|a|an|in|at|with|for)\b)|(?:exit|leave|quit|log out of) (?:life|this world|the world|existence|thi"
        r"s life) (?:for good|forever|permanently|soon)|(?:be|being) unalive\w*|sewerslide)",
    ),
    _r(
        "self_harm_plain",
        "self_harm",
        r"\b(?:(?:hide|hiding|cover|covering|conceal\w*) (?:up )?(?:my |the )?(?:\w+ )?(?:scars|cuts|marks|wounds)(?! "
        r"from (?:my |the |a |an )?(?:surgery|operation|accident|c-section|acne|burns?|chicken ?pox))|(?:fresh|new|rec"
        r"ent) (?:scars|cuts|wounds)|(?:what|things) i(?:'ve| have)? (?:been |keep |kept )?do(?:ing)? to (?:myself|my "
        r"(?:skin|body|arms|legs|wrists))|trying (?:so |really )?(?:hard )?not to (?:hurt|harm|cut) myself\b(?! (?:at|"
        r"in|on|with|while|when|during|lifting|running|playing))|(?:want|wanna|need) to (?:hurt|harm|cut) myself (?:so"
        r" bad|so badly|right now|tonight))\b",
        guards="pf",
    ),
    _r(
        "harm_others_plan_plain",
        "harm_to_others",
        r"\b(?:make (?:him|her|them|(?:my|that|the) (?:[\w']+ ){1,2})bleed|(?:watching|watched|following|followed|stal"
        r"king) (?:\w+ ){0,3}(?:house|place|flat|home|him|her|them) (?:\w+ ){0,4}(?:when|where) (?:he|she|they)(?:'s| "
        r"is|'re| are| lives?| goes)|(?:know|learned|learnt) (?:\w+ ){0,3}when (?:he's|he is|she's|she is|they're|they"
        r" are) alone|list of (?:people|names|everyone) (?:who|that) (?:wronged|hurt|bullied|deserve|laughed)|beat (?:"
        r"\w+ ){1,3}until (?:he|she|they) (?:stops?|can't|cant|bleeds?)|forcing (?:himself|herself|themselves) on|(?:w"
        r"ill|'ll|going to|gonna) (?:hurt|harm) (?:his|her|their) (?:kids|children|son|daughter|baby|family)|(?:could|"
        r"might|would) (?:actually|really|genuinely|seriously) (?:kill|hurt) (?:him|her|them|my \w+)|i'?m the one who("
        r"?:'ll| will) do it|coming for (?:him|her|them|you)\b(?=.{0,40}\b(?:literally|i mean it|not joking|for real))"
        r")",
        guards="nf",
    ),
    _r(
        "abuse_plain",
        "abuse",
        r"\b(?:(?:does|did|doing|keeps doing) (?:things|stuff) to me (?:that )?i (?:don't|dont|do not) like|forc(?:ing"
        r"|es|ed) (?:himself|herself|themselves) on me|(?:took|taken|takes|keeps|kept) (?:my|our) passports?\b(?! (?:a"
        r"t|for|to|safe|while))|(?:left|leaves|leaving) (?:bruises|marks) on (?:me|my)|(?:is|was|are|gets|get) rough w"
        r"ith me)\b",
    ),
    _r(
        "other_at_risk_plain",
        "other_at_risk",
        rf"\b(?:(?:my|our|a) (?:\w+ )?{_OTHER_PERSON} (?:\w+ ){{0,4}}(?:saying|said|says|sent me|texted me) (?:\w+ "
        rf"){{0,6}}"
        r"(?:(?:thanks|thank you|thank u) for everything|(?:she's|he's|they're|she is|he is|they are) a burden"
        r"|made (?:his|her|their) peace"
        r"\b(?! with)|better off with (?:the|his|her|their) (?:life )?insurance)|goodbye to everyone\b.{0,30}\b(?:and|"
        r"now) (?:\w+ ){0,3}(?:offline|phone'?s? off|not answering|isn't answering|won't answer)|(?:message|text|lette"
        r"r|note) like a will)\b",
        guards="nf",
    ),
    _r(
        "medical_plain_more",
        "medical",
        r"\b(?:(?:having|had|is having) a seizure|(?:a fit|fitting|shaking) on the (?:\w+ )?(?:floor|ground)|worst hea"
        r"dache of (?:my|his|her) life (?:\w+ ){0,2}(?:out of nowhere|suddenly|and (?:i'm |he's |she's )?seeing)|half "
        r"(?:his|her|my|their) face (?:\w+ ){0,2}(?:strange|droop\w*|numb|wrong|weird)|(?:shaky|sweaty) and confused|c"
        r"an barely stand up|mixed (?:a lot of |lots of )?(?:stuff|pills|meds|drugs))\b",
        guards="nf",
    ),
)
RULES = RULES + _PLAIN_EN

_PLAIN_EN_2: tuple[Rule, ...] = (
    _r(
        "suicide_plain_more",
        "suicide",
        r"\b(?:suicide (?:thoughts|ideation|urges|plans?)|suicide (?:has been|is|keeps|has|was) (?:\w+ ){0,2}on my min"
        r"d|(?:wish|wishing|wished) (?:that )?i (?:(?:was|were|had|'d|could be) )?(?:dead|died\b(?! (?:my|it|her|his|t"
        r"he))|never been born)|(?:don't|do not|dont) deserve to (?:keep living|live|be alive|exist|keep going)|(?:i'?"
        r"d|i would) rather be dead\b(?! than)|(?:i'?m|i am|im) worth more dead|(?:don't|do not|dont|can't|cannot|cant"
        r") see myself (?:making it|being (?:here|alive|around)|living|still (?:here|alive)) (?:to|past|until|till|thr"
        r"ough|much longer|by)|(?:if|when) i(?:'m| am) not (?:here|around|alive) anymore|(?:better|easier|happier) (?:"
        r"off )?for (?:everyone|everybody|them|all|my \w+) if i(?:'m| am|'d| was| were)? (?:not (?:here|around|alive)|"
        r"gone|dead)|(?:breathe easier|be happier|be lighter|be freer) without me|(?:better off|happier|easier) withou"
        r"t you\?? (?:because|cause|cuz) i do|(?:don't|dont|do not|won't|not going to) (?:think i'?ll )?(?:make it|be "
        r"(?:here|around|alive))\b.{0,40}\bi'?m (?:kind of |kinda |weirdly |actually |totally |strangely )?(?:ok|okay|"
        r"fine|at peace|calm|relieved) (?:with|about) (?:that|it)|if you don't hear from me\b.{0,40}\b(?:that's why|th"
        r"anks for everything|goodbye|i'm sorry)|nothing (?:left )?(?:keeping|holding) me(?: here)?(?= *(?:[.!?]|$))|"
        r"(?:it's|its|it is) over for me\b.{0,40}\b(?:picking the day|the date|i mean (?:really|it))|(?:"
        r"better|easier|happier) (?:off )?(?:\w+ ){0,3}with me (?:out of the picture|gone|dead|not around)|(?:don't|do"
        r" not|never|not) let me wake up|(?:pray|praying|hope|hoping|wish) (?:that )?i (?:won't|wont|will not) be (?:h"
        r"ere|around|alive)|(?:decision|decided) (?:about|to|on) (?:end|ending) (?:things|it all|everything|my life)\b"
        r"(?! with)|(?:didn't|doesn't|does not|did not|don't) know (?:it was|it's|its|it is) (?:goodbye|the last time)"
        r"(?= *(?:[.,!?;]|$))|because (?:it's|it is|its) the last time\b(?! (?:i|we|you|that|this|before|for|at|in|on)"
        r")|(?:giv\w+|gave) (?:all )?(?:my|all my) (?:things|stuff|belongings|possessions) away|(?:log|logging|sign|si"
        r"gning) (?:off|out) for the last time\b(?! (?:this|today|for|before|until|of|in))|the last time we (?:talk|sp"
        r"eak|chat)\b(?! about))",
        guards="bipf",
    ),
    _r(
        "suicide_after_loss",
        "suicide",
        r"\b(?:died|passed away|passed|lost (?:my|him|her|them))\b.{0,60}\b(?:(?:go |to |and )?join (?:her|him|them)(?"
        r"= *(?:[.,!?;]|$| now| soon| there| up there))|follow (?:her|him|them)(?= *(?:[.,!?;]|$| now| soon| there))|s"
        r"hould go too|i died with (?:her|him|them))",
    ),
    _r(
        "suicide_coded_more",
        "suicide",
        r"\b(?:(?:catch|take|taking) the (?:bus|long nap|big sleep)\b.{0,40}\b(?:(?:you|u) know what (?:i|that|it) mea"
        r"ns?|the permanent|permanent\w*|for good|forever)|(?:want|wanna|thinking (?:of|about)|considering|ready for) "
        r"(?:taking )?the (?:long nap|big sleep|forever (?:kind of )?(?:rest|sleep|nap))|the forever kind of (?:rest|s"
        r"leep)|(?:want|wanna|wish i was|ready) (?:to be )?six feet under|(?:exit|leave|quit) the (?:simulation|game|w"
        r"orld) (?:for good|forever|permanently)|final chapter,? (?:\w+ ){0,2}not a book|(?:see|join|visit) (?:grandma"
        r"|grandpa|nana|\w+) upstairs,? (?:permanently|for good|forever))",
        guards="nf",
    ),
    _r(
        "self_harm_relapse",
        "self_harm",
        r"\b(?:(?:relapsed|broke|ruined|lost|reset|gone|again)\b.{0,60}\b(?:clean|free|without) (?:from )?(?:hurting m"
        r"yself|self[- ]?harm\w*|sh|cutting|harming myself)|(?:clean|free|without) (?:from )?(?:hurting myself|self[- "
        r"]?harm\w*|sh|cutting|harming myself)\b.{0,60}\b(?:relapsed|broke|ruined|lost|reset|gone|again)|(?:so )?(?:no"
        r" one|nobody) (?:sees|notices|can see|will see) (?:my )?(?:scars|cuts|marks|wounds))\b",
        guards="nf",
    ),
    _r(
        "harm_others_plain_more",
        "harm_to_others",
        r"\b(?:(?:going to|gonna|will|'ll) (?:\w+ ){0,5}(?:pay|be sorry|regret \w+|ruin (?:[\w']+ ){0,2}(?:life|lives)"
        r"|settle (?:it|this|the score)|get even|even|suffer)\b.{0,40}\b(?:physically|physical|with my fists|not in co"
        r"urt|not (?:a |the )?legal|not a metaphor)|it'?ll be physical|get even\b.{0,40}\bnot (?:a |the )?legal|(?:won"
        r"'t|will not) see (?:the )?(?:new year|next (?:week|month|year)|christmas|(?:his|her|their) next birthday) if"
        r" (?:he|she|they)|make (?:him|her|them|my \w+|the \w+|that \w+|everyone|the whole \w+)(?: \w+){0,4} suffer|(?"
        r":go|come|show up) (?:to|into|at) (?:school|work|the office|class|campus)\b.{0,20}\bmake (?:them|everyone|him"
        r"|her) pay|(?:written|wrote|know|found out|have) (?:down )?where (?:everyone|they|he|she|all of them) (?:\w+ "
        r"){0,4}lives?|(?:practising|practicing|rehears\w+|planning) what i'?(?:ll| will|m going to) do to (?:him|her|"
        r"them|my \w+)|(?:voices?|something) (?:keeps? |are |is )?tell(?:ing|s)? me to (?:hurt|kill|harm) (?!myself)\w"
        r"+|(?:one (?:\w+ ){0,3}away from|about to|so close to) (?:really )?(?:hurting|attacking) (?:someone|somebody|"
        r"him|her|them|my \w+)|if (?:he|she|they) survives? (?:it|that|this)\b|(?:will|'ll|going to|gonna) (?:find out"
        r"|know|learn|see) what happens when (?:you|people|someone) (?:cross|fail|mess with|disrespect) (?:me|us)|shut"
        r" (?:him|her|them) up (?:for good|forever|permanently)|going to get (?:seriously |badly |really )?hurt\b.{0,1"
        r"2}\b(?:i promise|i swear|i mean it|by me)|(?:in|into) a hospital bed by|(?:he's|she's|they're) dead\b(?=.{0,"
        r"30}\b(?:not exaggerating|not joking|i mean it|i'm serious))|(?:next (?:week|month|year)|this (?:summer|week|"
        r"weekend|month)|soon|tomorrow),? (?:\w+ )?(?:she|he|they) (?:finally )?pays?\b(?! (?:me|us|back|for|the|her|h"
        r"is|their|rent|off|attention)))",
        guards="nif",
    ),
    _r(
        "abuse_plain_more",
        "abuse",
        r"\b(?:(?:threw|throws|throwing) (?:a |the |his |her )?(?:chair|plate|glass|bottle|phone|shoe|pan|knife|remote"
        r"|cup|mug) at me|(?:hurt|hit|grabbed|pushed|touched|slapped) (?:me|my \w+)\b.{0,40}\btold me (?:to )?(?:keep "
        r"quiet|not (?:to )?tell|stay quiet|keep (?:it )?(?:a )?secret))\b",
    ),
    _r(
        "other_at_risk_plain_more",
        "other_at_risk",
        r"\b(?:(?:he's|she's|they're|he is|she is|they are) worth more dead|(?:thanks|thank you) for everything\b"
        r".{0,40}\b(?:won't answer\w*|not answering|isn't answering|phone(?:'s| is)? (?:off|dead)|offline"
        r"|not replying|isn't replying)|(?"
        r":won't|will not) be (?:around|here|alive)\b.{0,60}\b(?:don't|do not) think (?:it's|it is|she's|he's|they're)"
        r" (?:a joke|joking|kidding)|(?:wants?|wanted) to catch the bus\b.{0,40}\b(?:know what (?:that|it) means|(?:yo"
        r"u|u) know what i mean))",
        guards="nf",
    ),
    _r(
        "medical_plain_side",
        "medical",
        r"\b(?:can't|cannot|can not|couldn't) (?:move|feel) (?:one|the (?:left|right)) side of (?:his|her|my|their) (?"
        r":body|face)\b",
        guards="nf",
    ),
)
RULES = RULES + _PLAIN_EN_2

# Warning signs named in safe-messaging guidance, in the short forms people type: the bare word ("suicidal again"),
# not feeling safe, not being around for a date, "almost went through with it", a note, a fall with no way up.
_WARNING_SIGNS_EN: tuple[Rule, ...] = (
    _r(
        "suicide_bare_suicidal",
        "suicide",
        r"(?:^|[.!?] )(?:so |really |very |still |just |)suicidal\b|\bsuicidal (?:again|rn|right now|tonight|today|a"
        r"f|asf|atm|at the moment|lately|these days)\b",
    ),
    _r(
        "suicide_not_safe",
        "suicide",
        r"\b(?:i'm|i am|im|i feel|feeling) not safe (?:tonight|right now|rn|anymore|any more|alone|by myself|with mys"
        r"elf|around myself)\b|\b(?:i )?(?:don't|do not|dont) feel safe (?:with|around|by) myself\b|\b(?:don't|do not"
        r"|dont|can't|cannot|cant) trust myself (?:not to (?:hurt|harm|do (?:something|anything))|to (?:stay|be|keep"
        r" myself) safe|(?:to be )?alone (?:tonight|right now))",
        guards="bipf",
    ),
    _r(
        "suicide_not_around_for",
        "suicide",
        r"\b(?:not|never) (?:gonna |going to |)be (?:here|around|alive) (?:to see|for (?:much )?longer|much longer|by"
        r" (?:christmas|new year|my birthday|the weekend|next (?:week|month|year)))|\b(?:nearly|almost) went through"
        r" with it\b|\bchecking out (?:for good|permanently|this (?:weekend|week) for good)|\bi(?:'ve| have)? (?:wrot"
        r"e|written|finished) my note\b(?! (?:to|for|on|about|in|from|at))",
        guards="bipf",
    ),
    _r(
        "suicide_relief_off_switch",
        "suicide",
        r"\b(?:relief to (?:be dead|die|not exist)|death sounds (?:like )?(?:a )?(?:relief|peaceful|nice|like a holid"
        r"ay|like a rest)|(?:wouldn't|would not|don't|do not) mind if (?:tonight|today|this|it) (?:was|were|is) it\b|"
        r"let (?:this|it) be my last (?:winte"
        r"r|christmas|birthday|year|summer|spring|autumn|day|night)|(?:pull(?:ing)? the plug|(?:press|flip|hit)(?:in"
        r"g)? the off switch) on myself|ctrl.?alt.?del(?:ete)? me\b|(?:want to|ready to) (?:go|be) (?:6|six) (?:feet"
        r"|ft) under|(?:6|six) (?:feet|ft) under (?:asap|tonight|soon|already))",
        guards="bipf",
    ),
    _r("harm_others_catch_a_body", "harm_to_others", r"\bcatch (?:a|another) body\b", guards="nif"),
    _r("medical_keeps_fainting", "medical", r"\bkeeps? (?:fainting|passing out|blacking out)\b", guards="nf"),
    _r(
        "medical_fall_cannot_get_up",
        "medical",
        r"\b(?:fell|fallen|had a fall)\b.{0,60}\b(?:can't|cannot|can not|cant|couldn't|unable to) get (?:back )?up\b",
        guards="nf",
    ),
)
RULES = RULES + _WARNING_SIGNS_EN

# Urgent signs in plain words (from the round-9 train/dev misses, written as general forms): emergencies told by
# their symptoms, self-harm hidden behind an excuse, someone lying in wait, and someone else handing over a pet and
# going silent.
_URGENT_SIGNS_EN: tuple[Rule, ...] = (
    _r(
        "medical_red_flag_symptoms",
        "medical",
        r"\b(?:worst headache (?:of|in) my (?:entire |whole )?life|(?:headache|pain) (?:\w+ ){0,4}like a thunderclap"
        r"|(?:throat|tongue) (?:is |feels? |feels like it'?s |feels like its )?(?:closing|swelling) up"
        r"|(?:my )?lips (?:are |look |looks |have gone |went |turned |going |r )?(?:kinda |kind of |a bit |all )?blue"
        r"|(?:bleeding|soaked|bled) (?:through|thru) (?:\w+ ){0,3}(?:towels?|tea towels?|bandages?|shirts?))\b",
        guards="nf",
    ),
    _r(
        "medical_chest_left_arm",
        "medical",
        r"\bchest\b.{0,80}\bleft arm(?:'s| is| feels| has gone| went| gone)? (?:\w+ )?(?:numb|weird|tingl\w*|heavy"
        r"|dead|funny)\b",
        guards="nf",
    ),
    _r(
        "self_harm_cat_excuse",
        "self_harm",
        r"\b(?:it was|blamed (?:it )?on|said|told \w+ it was) (?:the|my|our) cat\b.{0,60}\b(?:it (?:wasn'?t|was not)"
        r"|there(?:'s| is) no|we don'?t (?:even )?have a|i don'?t (?:even )?have a) (?:the )?cat\b|\bcat scratch"
        r" excuse\b|\b(?:it was|said|told \w+ it was) (?:the|my|our) cat\W+it (?:wasn'?t|was not)\b"
        r"(?! (?:\w+ ){0,2}(?:serious|bad|deep|a big)\b)(?:\W*$|\W*[.!])",
        guards="",
    ),
    _r(
        "self_harm_hiding_arms",
        "self_harm",
        r"\blong sleeves\b.{0,80}\b(?:so (?:\w+ ){0,4}(?:don'?t|doesn'?t|won'?t|can'?t|dont|doesnt|wont|cant) see"
        r" (?:my )?(?:arms|wrists|legs|thighs|marks|scars)|nobody (?:can )?sees? my (?:arms|wrists|legs|thighs)"
        r"|fresh)\b",
        guards="pf",
    ),
    _r(
        "harm_others_lying_in_wait",
        "harm_to_others",
        r"\bi know where (?:he|she|they|my \w+|the \w+|that \w+) (?:parks|lives|works|sleeps)\b.{0,80}\b(?:i'?m"
        r" (?:waiting|parked|outside)|waiting (?:there|for (?:him|her|them))|parked outside|pay for|been thinking"
        r" about it)\b|\b(?:parked|sitting|waiting) (?:\w+ ){0,2}outside (?:my ex'?s|his|her|their) (?:place|house"
        r"|flat)\b.{0,60}\bone way or another\b",
        guards="nif",
    ),
    _r(
        "other_pet_handover_silent",
        "other_at_risk",
        r"\b(?:look after|take care of|mind|feed)\b.{0,40}\bfor me\b.{0,120}\b(?:(?:not|isn'?t|hasn'?t been|isnt|"
        r"hasnt been) (?:answering|picking up|replying)|can'?t (?:reach|get hold of) (?:him|her|them))\b",
        guards="f",
    ),
)
RULES = RULES + _URGENT_SIGNS_EN

# Signs said in passing (from the first validation set's misses, written as general forms): belongings given away
# with a farewell, a head injury told by its symptoms, a small child left alone for hours, and losing control of
# one's temper with a child in es/fr/de/it/pt, and a person barely breathing.
_SIGNS_IN_PASSING: tuple[Rule, ...] = (
    _r(
        # "goodbye" in the name: an everyday goodbye (moving, a trip, a wedding) guards it
        "suicide_goodbye_giveaway",
        "suicide",
        r"\b(?:gave|given|giving|give|handed) (?:away )?(?:all )?my (?:\w+ )?(?:dog|cat|pets?|guitar|things|stuff"
        r"|belongings|books|games|console|clothes|jewel\w*|records|collection|tools|camera|plants)\b.{0,100}"
        r"\b(?:loose ends|(?:anyway )?bye|goodbye|won'?t (?:need|be needing) (?:it|them|any of it)|farewell)\b",
    ),
    _r(
        "suicide_attempt_regret",
        "suicide",
        r"\bi (?:just |recently )?tried to (?:end it|end my life|kill myself|take my (?:own )?life)\b"
        r"(?:.{0,80}\b(?:sad|disappointed|upset|angry|annoyed|mad|wish) (?:that )?it (?:didn'?t|did not|hadn'?t)"
        r" work)?",
    ),
    _r(
        "suicide_no_sense_going_on",
        "suicide",
        r"\b(?:don'?t|do not|can'?t|cannot|no longer) see (?:the |any )?(?:sense|point) (?:in|of) (?:going on|living"
        r"|carrying on|continuing|being here|staying alive)\b",
        "bipf",
    ),
    _r(
        "medical_head_injury_signs",
        "medical",
        r"\b(?:i|he|she|they|my \w+) (?:just |really )?(?:fell|took a (?:\w+ ){0,2}fall|hit (?:my|his|her|their|the"
        r" back of (?:my|his|her)) head|banged (?:my|his|her|their) head|bumped (?:my|his|her|their) head)\b.{0,100}"
        r"\b(?:seeing double|double vision|throwing up|vomiting|threw up|can'?t stay awake|keeps? passing out"
        r"|passed out|blacked out|slurring)\b",
        guards="np",
    ),
    _r(
        "other_child_left_alone",
        "other_at_risk",
        r"\b(?:left|leaves|leaving|leave) (?:their|his|her|the|a|my|our) (?:\w+ )?(?:toddler|baby|infant|little"
        r" ones?|kids?|children|\w+[- ]year[- ]old)\b.{0,20}\balone\b.{0,100}\b(?:for hours|all night|all day"
        r"|overnight|for the weekend|since (?:yesterday|last night|this morning)|no ?one answers|nobody answers"
        r"|crying for hours)\b",
        guards="nf",
    ),
)
RULES = RULES + _SIGNS_IN_PASSING
# someone else's wish to die, then the writer joins in: "the character wants to die, and honestly so do I"
_ME_TOO = (
    _r(
        "suicide_me_too",
        "suicide",
        r"\b(?:wants? to die|wants? to (?:kill|hurt) (?:him|her|them)sel(?:f|ves)|wants? to end (?:it|(?:his|her"
        r"|their) life)|(?:is|are) suicidal)\b[^.!?]{0,40}\b(?:and|honestly|tbh|ngl) (?:\w+ )?(?:so do i|so am i"
        r"|me too|same here|i do too|i feel the same)\b",
        "n",
    ),
)
RULES = RULES + _ME_TOO


# --- guards --------------------------------------------------------------------------------------------------
_CLAUSE_END = re.compile(r"[.,;:!?\n]|\b(?:but|and|so|because|though|although|yet|pero|mais|aber|ma|mas)\b")
_NEGATION = re.compile(
    r"\b(?:never|not|no way|won't|wouldn't|would not|will not|don't|do not|didn't|did not|no intention|no plans?|"
    r"isn't|aren't|can't imagine|couldn't|nothing could make me|no desire|nunca|jamas|jamais|nie|niemals|nao|non|"
    r"niet|nooit|mai|"
    r"ne|pas|nicht|no)\b"
)
# negations that never belong to a rule's own phrase, so they count inside the match too ("I've never self harmed")
_NEGATION_IN_MATCH = re.compile(
    r"\b(?:never|i'm not going to|i am not going to|i won't|i wouldn't|i would not|i will not|not about to|no "
    r"intention|i haven't|i have not|i didn't|i did not|i'd never|nunca|jamas|jamais|niemals)\b"
)
# words after which an earlier negation no longer covers the phrase: "I don't see a way out besides ending my life"
_SCOPE_BREAK = re.compile(r"\b(?:besides|except|other than|apart from|but)\b")
# "... but I didn't", "... but I won't, and I don't want to": the phrase taken back at once (never with "yet")
_TAKEN_BACK = re.compile(
    r"[^.!?]{0,40}?\bbut (?:i )?(?:didn'?t|did not|won'?t|will not|never did|never would)(?: do it| act on it| go"
    r" through with it)?(?=\s*(?:[,.!]|and\b|$))(?![^.!?]{0,40}\byet\b)"
)
# "a burden today. not in a scary way": the phrase disowned right after
_NOT_THAT_WAY = re.compile(
    r"[^!?]{0,40}?\bnot (?:in )?(?:(?:a|the|any) (?:scary|worrying|suicidal|serious|dangerous|literal) (?:way|sense)"
    r"|that (?:way|sense))\b"
)
# a threat denied in brackets right after: "I'm going to murder him (I'm not, he's perfect)"; never "(I'm not
# joking)", and never for the writer's own safety, where "(jk... mostly)" is how a real crisis often sounds
_DENIED_ASIDE = re.compile(
    r"[^.!?()]{0,15}?\(\s*(?:i'?m not|i am not|not really|i won'?t|i wouldn'?t)\b"
    r"(?! (?:joking|kidding|exaggerating|lying))"
)
_NOT_NEGATION = re.compile(
    r"\b(?:not sure|not certain|don't know|do not know|not even sure|no idea|can't tell|not really sure|no one|"
    r"nobody|no reason|not okay|not ok|not fine|no longer|not even|no matter|not kidding|not joking|not suicidal|"
    r"don't worry|do not worry|dont worry|no,? actually|no,? really"
    # "she doesn't know that I ...": not a negation of what follows (es, fr, de, pt)
    r"|no (?:lo )?sabe\w*|nadie (?:lo )?sabe|ne (?:le )?sai(?:t|ent) pas|weiss nicht|weiß nicht|nao sabe\w*"
    r"|no cap)\b"
)
_IDIOM = re.compile(
    r"\b(?:killing me|kills me|killed it|kill it|killin it|dying to|die of (?:embarrassment|shame|boredom|laughter"
    r"|cringe|jealousy|envy|happiness|joy|excitement|cuteness)|dying (?:laughing|of laughter|inside a little)"
    r"|kill for (?:a|some|that|this)|one more (?:zoom|teams|meeting|call|email|lecture|class|episode|song|ad|advert"
    r"|commercial|minute of|group project|powerpoint|spreadsheet)s?"
    r"|could (?:kill|murder|strangle) (?:him|her|them|my|a|for)|(?:you're|you are|you'll|you will) (?:gonna |going to "
    r"|literally )?die|(?:mom|dad|mum|mother|father|parents|boss|teacher"
    r"|coach|wife|husband|girlfriend|boyfriend)(?:'s| is| are|'re| will| would|'ll)? (?:going to|gonna) kill me"
    r"|kill (?:some )?time|killing time|(?<!ways )(?<!way )to die for|i'm dead|i'm so dead|literally died"
    r"|nearly died laughing"
    r"|my feet are killing|bored to death|scared to death|sick to death|dead tired|de risa|de rire|de rir|vor lachen"
    r"|dal ridere|me muero de \w+|je meurs de \w+|morrendo de \w+|muoio di \w+|sterbe vor \w+"
    r"|(?:mon boss|mon patron|ma mere|mon pere|ma prof|mon prof) va me tuer|(?:mi jefe|mi madre|mi padre|mi profe)"
    r" me va a matar|(?:meu chefe|minha mae|meu pai) vai me matar|(?:il mio capo|mia madre|mio padre) mi ammazza"
    r"|suicide (?:squats?|sprints?|runs?|drills?|lines?|burpees?|shuttles?|doors?)"
    r"|die if (?:he|she|they|my crush|you) (?:\w+ ){0,2}(?:texts?|replies|answers|calls|notices|says hi|looks at me"
    r"|asks me out|sees (?:this|me|it)))\b"
)
# video games told as a scene: "playing zombies with my son, he keeps yelling we're all going to die"
_GAME = re.compile(
    r"\b(?:video ?games?|fortnite|minecraft|call of duty|boss fight|zombies?|in game|in-game|my sims?)\b"
)
# hyperbole about other people ("I'll kill him if he eats my leftovers again") only guards harm-to-others rules
_HYPERBOLE = re.compile(
    r"\bif (?:he|she|they|you|my \w+) (?:\w+ ){0,8}(?:again|one more time|another)\b|(?<!not )\b(?:joking|kidding)\b|"
    r"\b(?:for (?:eating|leaving"
    r"|taking|using|being|borrowing|breaking|spoiling|forgetting|telling)|when (?:i|we) get home|lol|lmao|haha|jk"
    r"|spoil(?:ed|s|t)? the (?:ending|finale|show|series|movie|film|book)"
    r"|😂|🤣)\b"
)
# a scope right after the phrase that makes it everyday: "sleep forever on sundays", "last message for today"
_SCOPED = re.compile(
    r"^\W*(?:(?:to|at|from) (?:my|the|our) (?:old|former|previous)\b|to (?:my|the|our) (?:\w+ )?(?:phone|laptop|car|"
    r"bike|house|flat|apartment|office|desk|job|school|class|team|colleagues|coworkers|city|town|hair|couch|sofa)\b"
    r"|tonight\b[^.!?]{0,40}\b(?:work|school|class|shift|up early|bed|sleep well|good ?night)\b|(?:i'?m|i am) "
    r"(?:going to|gonna) (?:tell|ask|propose|confess|quit|resign)\b|for (?:today|tonight|now|the (?:day|night|week"
    r"|weekend)|a (?:while|bit))|while "
    r"(?:i'?m |i am |we're |we are )?(?:away|travel\w*|on (?:holiday|vacation|a trip))|on (?:\w+days|weekends|"
    r"holiday|vacation)|when you (?:hear|see)|from (?:work|school|slack|teams|social media|instagram|tiktok|facebook|"
    r"twitter|the group)|in this (?:heat|weather|cold|rain|traffic|queue|job)"
    # an accident at sport or play: "hurt myself at the gym", "hurt myself laughing"
    r"|(?:at|during|in) (?:the )?(?:gym|\w+ practice|practice|training|a match|the match|the game|pe)|laughing"
    r"|playing \w+)\b"
)
# a goodbye with an everyday purpose in the same sentence: moving away, retiring, the last day of school
_EVERYDAY_GOODBYE = re.compile(
    r"\b(?:emigrat\w+|moving (?:to|abroad|away|house|out|into)|before i move|relocat\w+|retir\w+|last day (?:of|at) "
    r"(?:school|work|term|uni|university|college|the office|the company|the firm|my job|the job|placement)|"
    # leaving a group (not a job: quitting one can be part of putting affairs in order), goodbyes said to a group,
    # and a goodbye that names when they'll be back
    r"(?:left|leaving|leave) (?:my |the |our )?(?:\w+ )?(?:team|club|choir|band|group|server|discord|group ?chat|class"
    r"|course)|(?:goodbyes?|bye) (?:\w+ ){0,2}to (?:the|my|our) (?:\w+ ){0,2}"
    r"(?:choir|group|team|club|class|crew|band|colleagues|coworkers|co-workers|staff|students|neighbours|neighbors"
    r"|church|congregation|server|discord|office|company)|see (?:u|you|ya)(?: all| guys| everyone| lot)? (?:in (?:jan"
    r"uary|february|march|april|may|june|july|august|september|october|november|december|the (?:spring|summer"
    r"|autumn|fall|winter|new year)|a (?:few )?(?:days?|weeks?|months?))|next (?:week|month|year|term|semester"
    r"|season|time)|tomorrow|after (?:the )?(?:exams?|holidays?|break))|(?:for|until|till|during|after) (?:the )?"
    r"(?:exam season|exams|revision|finals|lent|dry january)|digital detox|social media break|in remission|see you "
    r"(?:all )?at the (?:reunion|wedding|party|office|game)|hello (?:\w+ )?(?:holiday|vacation|weekend|summer|sun|bea"
    r"ch"
    r"|new job|new house|retirement|freedom)|goodbye to my (?:\d0s|teens|twenties|thirties|forties|fifties)|(?:need|g"
    r"oing to|gonna|off to|time for|heading to) (?:some )?(?:sleep|bed)"
    # trips, weddings and letters with an everyday purpose: "last message before a camping trip, see you when i get
    # back", "letters to my kids to open when they turn 18"
    r"|camping|off-?grid|no (?:signal|reception|wifi)|travel\w* (?:to see|to visit|for work|with (?:my|the|our))"
    r"|(?:my |our )?(?:wedding|honeymoon)|see you when i get back|therapy exercise|(?:nice |family )?tradition"
    r"|to open when (?:they|she|he|you) (?:turn|are|graduate|grow))\b"
)
_PLAY = re.compile(
    r"\b(?:play|playing|played|game|match|practice|training|hockey|football|soccer|basketball|baseball|rugby|"
    r"dodgeball|volleyball|wrestling|pillow fight|snowball|water balloon|prank|party|pool|by accident|accidentally|"
    r"by mistake|pretending|lol|lmao|haha|chess|cards|board games?|scrabble|monopoly|darts|bingo|snooker|bowling"
    r"|trivia|quiz|beat (?:me|us) (?:at|in))\b"
)
# a time long past, in the same sentence as the crisis words ("five years ago I ... had a suicide attempt")
_LONG_AGO = re.compile(
    r"\b(?:(?:\d+|a few|few|several|many|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty"
    r"|thirty|forty) (?:years|yrs|months) (?:ago|back)|in (?:19|20)\d\d|(?:a |one )?"
    r"(?:year|decade) ago|long time ago|when i was (?:a kid|a child|younger|little|a teen|a teenager|\d+)|as a (?:kid|"
    r"child|teen|teenager)|in my (?:teens|twenties|thirties|youth)|past (?:suicide |suicidal )?(?:attempts?|"
    r"self ?harm)|back in (?:the )?(?:'?\d0s|\d{4}|high school|college|uni|university|school|the day)|during my (?:f"
    r"irst|second|third|final|last) (?:year|semester|term)|(?<!my )last (?:spring|summer|autumn|fall|winter|year)"
    # es, fr, de, pt: "hace tres anos", "il y a deux ans", "vor zehn jahren", "ha cinco anos" (accents stripped)
    r"|hace (?:\d+|un|una|dos|tres|cuatro|cinco|seis|diez|varios|muchos) (?:anos|meses)"
    r"|il y a (?:\d+|un|deux|trois|quatre|cinq|six|dix|plusieurs) (?:ans|annees)"
    r"|vor (?:\d+|zwei|drei|vier|funf|fuenf|sechs|zehn|vielen|einigen) (?:jahren|monaten)"
    r"|ha (?:\d+|dois|tres|quatro|cinco|seis|dez|varios|muitos) anos"
    r"|avevo \d+ anni|tenia \d+ anos|j'avais \d+ ans|als ich \d+ war|eu tinha \d+ anos|toen ik \d+ was)\b"
)
_PRESENT_WISH = re.compile(
    r"\bi (?:just |really |still |honestly |actually |kinda |kind of )?(?:want|wanna|need to|feel like|don'?t want"
    r"|do not want|can'?t|cannot|will|'ll|'m going to|am going to|'m gonna|m gonna|m going to)\b"
)
# the present coming back into a past framing: "that was years ago but now I want to die again"
_PRESENT = re.compile(
    r"\b(?:now|today|tonight|right now|again|lately|these days|anymore|still|i've been|i have been|i keep|keeps? (?:th"
    r"inking|wanting)|planning|otra vez|de nuevo|ahora|esta noche|encore|maintenant|ce soir|wieder|jetzt|heute nacht"
    r"|de novo|agora)\b"
    # a first-person present wish or intent in the clause: "my son died two years ago and I want to die" is now
    r"|" + _PRESENT_WISH.pattern
)
# a time told as past ("talked in therapy about the night when I wanted to die", "the thoughts I had"): past only when
# nothing in the whole message brings it back or wants it now ("the night I tried was the worst, and tonight ...")
_TOLD_AS_PAST = re.compile(
    r"\b(?:the|that) (?:time|night|day|year|summer|winter|spring|autumn|period|months|weeks) (?:\w+ ){0,6}?(?:when |th"
    r"at )?i (?:wanted|tried|thought|felt|attempted|nearly|almost|wrote)\b|\b(?:thoughts|feelings|urges) i (?:had|used"
    r" to have|once had)\b"
)
# the same thing back, later in the message: "years ago I tried to end my life. I'm thinking about it again now"
_RETURNS_LATER = re.compile(
    r"\b(?:thinking about it|thought about it|think about it|want to do it|wanna do it|do it|doing it|feel like that"
    r"|feeling like that|feel that way|feeling that way|(?:urges?|thoughts?|feelings?) (?:are|is|have|has|came|come)"
    r"(?: come)?)\W+(?:\w+\W+){0,2}?(?:again|back)\b"
)
_THAT_WAS_PAST = re.compile(
    r"^\W*(?:that|this|it|all (?:of )?that)(?:'s| was| is) (?:\w+ ){0,3}?(?:ago|behind me|in the past)\b"
)
_EARNEST = re.compile(
    r"\b(?:i'?ve decided|i meant every word|i mean every word|(?:he|she|they) did it again|last time i (?:almost|near"
    r"ly) did|not (?:joking|kidding|exaggerating)|i'?m (?:dead )?serious|i mean it|not a metaphor|for real this time"
    r"|no joke)\b"
)
_PAST = re.compile(
    r"\b(?:used to|years ago|(?:\d+|a few|few|several|many|two|three|four|five|ten) (?:years|yrs|months) (?:ago|clean|"
    r"sober|free|since|without|back)|(?:a|one|\d+|two|three|six) (?:day|week|month|year)s? (?:clean|sober|free|"
    r"without (?:hurting|harming|cutting))|past (?:suicide |suicidal )?(?:attempts?|self ?harm|struggles?)|"
    r"(?:a |one )?(?:year|decade) ago|long time ago|when i was (?:a kid|a child|younger|little|a "
    r"teen|a teenager|in (?:high school|middle school|college|school|my (?:teens|twenties))|\d+)|back (?:in|then|when)"
    r"|in the past|in my past|my (?:past|younger|former|old) self|as a (?:kid|child|teen|teenager)"
    r"|in my (?:teens|twenties|thirties|youth)|got help|"
    r"(?:i'm|i am) in a (?:stable|good|better|safe) place|(?:i'm|i am|i've been) (?:\w+ )?(?:recovered|in "
    r"recovery|clean|better now|doing better)|recovered from|survived|got through|got better|no longer (?:feel|think|"
    r"want|have)|(?:haven't|have not|hasn't) (?:\w+ ){0,2}(?:since|in (?:years|months))|(?:days|weeks|months|years) "
    r"clean|(?:a|my) (?:dark|bad|rough) (?:time|period|patch) (?:years ago|in (?:college|school))|anniversary of"
    r"|been clean (?:from|of)|since i (?:stopped|quit) (?:self ?harm\w*|hurting myself|harming myself)"
    # "used to" in es, fr, de, it, pt (accents stripped)
    r"|antes (?:pensaba|queria|sentia|me cortaba)|solia|avant je (?:pensais|voulais)|j'avais l'habitude"
    r"|fruher|frueher|antes eu (?:pensava|queria)|costumava|prima (?:pensavo|volevo))\b"
)
_FICTION = re.compile(
    r"\b(?:my|the|a|this|our) (?:(?:psych|psychology|english|history|school|uni|college|class|church|research) )?"
    r"(?:novel|story|book|short story|character|characters|protagonist|villain|"
    r"screenplay|newsletter|"
    r"script|poem|fanfic|fan fiction|essay|research paper|thesis|dissertation|podcast|documentary|article|"
    r"textbook)\b|"
    r"\bin (?:the|a|that|this) (?:movie|film|show|series|episode|book|novel|game|song|news|article|documentary|play|"
    r"anime|manga|comic)\b|\b(?:song|lyrics|movie|film|tv show|netflix|anime|news|headline|reported|according to|"
    r"statistics|statistic|suicide rates?|prevalence|percent|studies|research shows|researchers|psychology class|"
    r"hypothetically|asking (?:someone|somebody|people|a person|them|a friend) (?:directly )?(?:if|whether)|fictional"
    r"|fiction|roleplay|role play|quote|quoted|the phrase|the word|the term|what does .{1,30} "
    r"mean|meaning of|definition|warning signs|signs of|risk factors|why do people|why do some people|how common|"
    r"is it normal for people|prevention|awareness|hotline number|famous|celebrity|celebrities|historical|"
    r"history of|first aid|training course|difference between|(?:what are|whats|what's|what r) the (?:warning )?"
    r"signs? (?:that )?(?:a|an|someone|somebody|people|older|young)\b|how (?:do|can|should|would) (?:you|i|we) "
    r"(?:bring (?:it )?up|raise|approach|ask about|talk about)|for (?:a|my|our) (?:\w+ )?(?:class|course|assignment|"
    r"homework|exam|lecture|seminar)|(?:asked|asks|ask) (?:me |someone |somebody |a friend |people |them |him |her )?"
    r"(?:directly )?(?:if|whether)|if (?:someone|somebody|a friend|a person|a student|a client|a patient) "
    r"(?:tells|says|tell|say|is)|how (?:should|do|can|would) (?:i|you|we|one) (?:respond|react|support|reply)"
    r"|how (?:do|can|would) (?:you|i|we|one) (?:tell|know) if|if my (?:kid|child|son|daughter|friend|student|partner)"
    r" ever (?:says|tells)|stats|(?:higher|increased|greater) risk of"
    r"|senales de|warnsignale|anzeichen|sinais de|segnali di|signalen|prevencion|pravention|praevention|prevenzione"
    r"|prevencao|preventie|que decir si|que dire si|was sagt man|wat moet je zeggen als|o que dizer se|cosa dire se)\b"
)
# "not a book thing", "it wasn't fiction", "asking seriously": the writer says it is not a story
_NOT_FICTION = re.compile(
    r"\b(?:not (?:a|for a|for my|in a) (?:story|book|novel|essay|fiction|joke|hypothetical)"
    r"|(?:was not|wasn'?t|isn'?t|is not|not) (?:fiction|made up|hypothetical)|not a (?:book|story|movie|film) thing"
    r"|(?:asking|i'?m asking|i mean)"
    r" (?:this )?(?:seriously|for real)|(?:that'?s|it'?s|this is) not a joke"
    # the writer joins in: "the character wants to die, and honestly so do I"
    r"|(?:and|honestly|tbh|ngl) (?:\w+ )?(?:so do i|so am i|me too|same here|i do too|i feel the same))\b"
)
# a social-media story ("posted a story saying 'last one'") is not fiction
_SOCIAL_STORY = re.compile(
    r"\b(?:posted|posts|posting|post|put|shared|on|in|updated) (?:a |her |his |their |my |the )?(?:insta |instagram "
    r"|ig |snap |snapchat |whatsapp |fb |facebook )?(?:story|stories|status)\b"
)


# "what are the signs of an overdose, I took too many": a question beside an act just done is not informational
_JUST_DONE = re.compile(r"\bi(?:'ve| have)? (?:just )?(?:took|taken|swallowed|overdosed|cut myself|hurt myself)\b")


def _fiction(text: str) -> bool:
    """Framed as fiction, news, study or a hypothetical, and not disowned as such."""
    return (
        bool(_FICTION.search(_SOCIAL_STORY.sub(" ", text)))
        and not _NOT_FICTION.search(text)
        and not (_JUST_DONE.search(text))
    )


_THIRD_PARTY_SUBJECT = re.compile(
    r"\b(?:people|someone|somebody|a person|characters?|they|he|she|celebrit\w+|author|poet)\b"
)


@dataclass(frozen=True)
class RuleHit:
    rule: str
    category: str
    guarded_by: str | None  # None: decisive; otherwise "negation", "idiom", "past" or "fiction"


def strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _clause(text: str, start: int, end: int) -> tuple[str, str]:
    """The text of the clause around a match, split at the match: (before, after)."""
    before = text[:start]
    cut = 0
    for m in _CLAUSE_END.finditer(before):
        cut = m.end()
    after = text[end:]
    m = _CLAUSE_END.search(after)
    return before[cut:], after[: m.start()] if m else after


def _sentence(text: str, start: int, end: int) -> str:
    left = max(text.rfind(c, 0, start) for c in ".!?\n")
    rights = [i for i in (text.find(c, end) for c in ".!?\n") if i != -1]
    return text[left + 1 : min(rights) if rights else len(text)]


def _past(text: str, match: re.Match[str], clause: str, sentence: str) -> bool:
    """Told as over, in one of four ways, with nothing bringing it into the present."""
    # the clause says it's over; or the sentence sets it years back
    if _PAST.search(clause) and not _PAST_RETURNS.search(clause):
        return True
    if _LONG_AGO.search(sentence) and not _PAST_RETURNS.search(sentence) and not _PRESENT.search(clause):
        return True
    # "talked in therapy about the night when I wanted to die": past unless the message wants it now
    if _TOLD_AS_PAST.search(clause) and not _PAST_RETURNS.search(text) and not _PRESENT_WISH.search(text):
        return True
    # "... thought about ending it. That was six years ago, and I'm doing well": the next sentence sets it back
    following = text[match.end() :]
    end = re.search(r"[.!?\n]", following)
    rest = following[end.end() :] if end else ""
    return bool(_THAT_WAS_PAST.match(rest)) and not _PAST_RETURNS.search(following) and not _PRESENT.search(rest)


def _guard(rule: Rule, text: str, match: re.Match[str]) -> str | None:
    before, _after = _clause(text, match.start(), match.end())
    if "n" in rule.guards or "b" in rule.guards:
        window = _SCOPE_BREAK.split(before[-45:])[-1]
        # a non-negation that runs into the match ("we don't | know where they live") leaves the window with it
        for m in _NOT_NEGATION.finditer(window + match.group(0)):
            if m.start() < len(window) < m.end():
                window = window[: m.start()]
        window = _NOT_NEGATION.sub(" ", window)
        # negation words inside the match itself ("don't want to live") are part of the phrase, not a guard; "b"
        # rules carry a negation in their own words ("I won't be here much longer"), so only the words before count
        if _NEGATION.search(window) or ("n" in rule.guards and _NEGATION_IN_MATCH.search(match.group(0))):
            return "negation"
        # taken back right after, in the same sentence: "I thought about self harm for a sec but I didn't"
        taken_back = (_TAKEN_BACK, _NOT_THAT_WAY) + ((_DENIED_ASIDE,) if rule.category == "harm_to_others" else ())
        if "n" in rule.guards and any(p.match(text, match.end()) for p in taken_back):
            return "negation"
    sentence = _sentence(text, match.start(), match.end())
    # idiom and past guards look at the match's own clause: "I was clean for months but I want to cut tonight"
    clause = before + match.group(0) + _after
    # "I'll hurt him if he does it again. I'm not joking": said in earnest, a threat is not an idiom
    earnest = rule.category == "harm_to_others" and _EARNEST.search(text)
    if (
        "i" in rule.guards
        and not earnest
        and (_IDIOM.search(clause) or (rule.category == "harm_to_others" and _HYPERBOLE.search(sentence)))
    ):
        return "idiom"
    # "this is my last message... for today": an ellipsis right after the phrase is not the sentence's end
    rest = text[match.end() : match.end() + 80].lstrip(" .…-–—,")
    if "i" in rule.guards and (_SCOPED.search(_after) or _SCOPED.search(rest[: max(rest.find(". "), 0) or None])):
        return "idiom"
    if "i" in rule.guards and rule.category == "abuse" and _PLAY.search(sentence):
        return "idiom"
    if "i" in rule.guards and "goodbye" in rule.name and _EVERYDAY_GOODBYE.search(text):
        return "idiom"
    # video games told as a scene ("he keeps yelling we're all going to die") anywhere in the sentence
    if "i" in rule.guards and _GAME.search(sentence):
        return "idiom"
    if "p" in rule.guards and not _RETURNS_LATER.search(text, match.end()) and _past(text, match, clause, sentence):
        return "past"
    if "f" in rule.guards and _fiction(sentence) and not _NOT_FICTION.search(text):
        return "fiction"
    return None


@functools.lru_cache(maxsize=4096)
def match_rules(normalized: str) -> tuple[RuleHit, ...]:
    """Every rule that matches the normalised text, each with the guard (if any) that covers it."""
    hits: list[RuleHit] = []
    for rule in RULES:
        for match in rule.pattern.finditer(normalized):
            hits.append(RuleHit(rule.name, rule.category, _guard(rule, normalized, match)))
    plain = strip_accents(normalized)
    for rule in MULTILINGUAL:
        for match in rule.pattern.finditer(plain):
            hits.append(RuleHit(rule.name, rule.category, _guard(rule, plain, match)))
    return tuple(hits)


def decisive(hits: tuple[RuleHit, ...]) -> RuleHit | None:
    """The first unguarded hit, in rule order (the order encodes priority: suicide before self-harm, ...)."""
    return next((h for h in hits if h.guarded_by is None), None)


_SAFE = re.compile(
    r"\b(?:i'm|i am|i feel|feeling|i'm feeling) (?:\w+ ){0,2}(?:safe|okay now|ok now|alright now|better now|not in "
    r"danger)\b|\b(?:i|i've|i have|i just) (?:\w+ ){0,2}(?:called|texted|talked to|spoke to|spoken to|reached out to|"
    r"contacted|messaged|am with|i'm with|went to|saw|met with|rang) (?:\w+ ){0,3}(?:988|116 123|lifeline|samaritans|"
    r"hotline|crisis line|helpline|line|therapist|counsel+or|doctor|gp|psychiatrist|nurse|mom|mum|dad|mother|"
    r"father|parents?|friend|partner|husband|wife|sister|brother|family|someone|somebody|emergency|911|999|112|000|"
    r"hospital|er|a&e)\b|\b(?:someone|my \w+) is (?:here )?with me\b|\b(?:i|we)(?:'m| am|'re| are) (?:at|in) (?:the )?"
    r"(?:hospital|er|a&e|emergency room)\b"
)
_INJECTION = re.compile(
    r"\b(?:ignore|disregard|forget|override|bypass|disable|turn off|switch off|stop) (?:\w+ ){0,3}(?:instructions?|"
    r"rules?|prompt|system|safety|filter|crisis mode|protocol|guidelines)\b|\b(?:you are|you're) now\b|\bjailbreak\b|"
    r"\bdeveloper mode\b|\bpretend (?:you|to)\b|\bact as\b"
)


# the past coming back into the present ("the feeling is back", "relapsed", "planning it since then"): a past
# framing then says nothing about the writer being safe now
_PAST_RETURNS = re.compile(
    r"\b(?:(?:is|it's|its|they're|are) back|coming back|came back|again|since then|relapsed|worse than (?:before|ever)"
    r"|right now|tonight|lately|slipped back|back into (?:my )?old habits|stopped fighting|threw it away"
    r"|since (?:yesterday|last night|this morning)|(?:survived|woke up after|after) (?:my |the |an )?attempt"
    r" (?:yesterday|last night|this morning)|was\W+was clean)\b"
)


@functools.lru_cache(maxsize=4096)  # the detector asks once per turn and once per window holding it
def context_guard(normalized: str) -> str | None:
    """Framing anywhere in the message that makes crisis words less likely to be about the writer now."""
    if _fiction(normalized):
        return "fiction"
    if _PAST.search(normalized) and not _PAST_RETURNS.search(normalized):
        return "past"
    return None


def states_safe(normalized: str) -> bool:
    """A clear statement of being safe or of having reached a person or a line (never from injection-like text)."""
    return bool(_SAFE.search(normalized)) and not _INJECTION.search(normalized)


def looks_like_injection(normalized: str) -> bool:
    return bool(_INJECTION.search(normalized))
