"""`python manage.py seed_demo`: a realistic demo province for Kring.

Creates about thirty employees in the usual departments, a functional administrator,
three members of the leadership team, twelve groups with discussions, idea boards, ideas
and votes, and prints the logins. All demo accounts share one password.

The data is fixed (tables below, plus a seeded random generator for who-posts-what and
who-votes-for-what), so every run produces the same organisation. Running it again only
fills in what is missing: rows are looked up by their natural key (email, group slug,
group + title, board + title, thread + author + body) and existing ones are left as they
are, so `make run` can call it on every start without undoing edits made in the demo.
The one exception is an idea's vote count, recounted whenever a vote had to be added.

Refuses to run when DEBUG is off and the database holds accounts that are not demo
accounts (a real site): the demo superuser's password is printed for everyone to see.
"""

import random
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group as AuthGroup
from django.contrib.auth.models import Permission
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from discussions.models import Post, Reaction, Thread
from discussions.services import mark_read, recount_thread
from groups.models import Group, JoinRequest, Membership, ModerationLogEntry
from ideas import ranking
from ideas.models import Board, Idea, StatusChange, Vote

SEED = 2026
DEMO_PASSWORD = "welkom-bij-kring"
DOMAIN = "provincie.example"
SITE_URL = "http://127.0.0.1:8000/"

IMPROVEMENT, INTEREST = Group.Kind.IMPROVEMENT, Group.Kind.INTEREST
OPEN, CLOSED, PRIVATE = Group.Visibility.OPEN, Group.Visibility.CLOSED, Group.Visibility.PRIVATE
COLOURS = Group.Colour.values


# --- People ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    first_name: str
    last_name: str
    department: str
    language: str = ""  # blank: the site default (Dutch)
    local_part: str = ""  # blank: derived from the name, "anna.devries"

    @property
    def username(self) -> str:
        return self.local_part or f"{_ascii(self.first_name)}.{_ascii(self.last_name)}"

    @property
    def email(self) -> str:
        return f"{self.username}@{DOMAIN}"

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


def _ascii(text: str) -> str:
    """'de Vries' → 'devries', 'Özdemir' → 'ozdemir'."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in plain.lower() if ch.isalnum())


ADMIN = Person("Functioneel", "beheer", "Informatievoorziening", local_part="beheer")

LEADERS = (
    Person("Marieke", "van der Linden", "Directie"),
    Person("Hans", "Koster", "Directie"),
    Person("Ellen", "Prins", "Directie"),
)

EMPLOYEES = (
    Person("Jeroen", "Bakker", "Mobiliteit"),
    Person("Sanne", "Jansen", "Mobiliteit"),
    Person("Mehmet", "Yilmaz", "Mobiliteit"),
    Person("Thijs", "de Boer", "Mobiliteit"),
    Person("Anna", "de Vries", "Ruimte en Wonen"),
    Person("Pieter", "van den Berg", "Ruimte en Wonen"),
    Person("Fleur", "van Leeuwen", "Ruimte en Wonen"),
    Person("Lotte", "Visser", "Natuur en Water"),
    Person("Daan", "Smit", "Natuur en Water"),
    Person("Marloes", "Brouwer", "Natuur en Water"),
    Person("Noor", "Meijer", "Economie"),
    Person("Youssef", "Bennani", "Economie"),
    Person("Jasper", "Dekker", "Economie"),
    Person("Bram", "de Jong", "Financiën"),
    Person("Esther", "Dijkstra", "Financiën"),
    Person("Martijn", "Kok", "Financiën"),
    Person("Eva", "Mulder", "Informatievoorziening"),
    Person("Ruben", "Vos", "Informatievoorziening"),
    Person("Priya", "Raman", "Informatievoorziening", language="en"),
    Person("Niels", "Smits", "Informatievoorziening"),
    Person("Iris", "Peters", "HR"),
    Person("Chantal", "Jacobs", "HR"),
    Person("Fatima", "el Amrani", "HR"),
    Person("Koen", "Hendriks", "Communicatie"),
    Person("Hanneke", "Vermeulen", "Communicatie"),
    Person("Sevda", "Özdemir", "Communicatie"),
    Person("Wouter", "de Wit", "Bestuursondersteuning"),
    Person("Annelies", "de Graaf", "Bestuursondersteuning"),
    Person("Linda", "van der Meer", "Bestuursondersteuning"),
)

EVERYONE = (ADMIN, *LEADERS, *EMPLOYEES)

# The logins printed at the end. The member is never an owner or moderator.
LEADER_LOGIN = "marieke.vanderlinden"
MODERATOR_LOGIN = "jeroen.bakker"
MEMBER_LOGIN = "anna.devries"
JOIN_REQUEST_MESSAGE = "Ik werk veel met dit onderwerp en denk graag mee."
PROPOSED_GROUP_NAME = "Slimmer vergaderen"
PROPOSER_LOGIN = "sevda.ozdemir"
PROPOSED_GROUP_DESCRIPTION = (
    "Minder en kortere vergaderingen, met een duidelijk doel en een besluitenlijst. "
    "We verzamelen wat werkt en stellen een werkwijze voor die de hele provincie kan gebruiken."
)


# --- Groups, discussions and ideas ----------------------------------------------------


@dataclass(frozen=True)
class ThreadData:
    title: str
    posts: tuple[str, ...]  # the first one opens the thread


@dataclass(frozen=True)
class BoardData:
    title: str
    brief: str
    ideas: tuple[tuple[str, str], ...]  # (title, body)


@dataclass(frozen=True)
class GroupData:
    name: str
    kind: str
    visibility: str
    owner: str  # username
    moderators: tuple[str, ...]
    members: tuple[str, ...]  # always members
    extra_members: int  # how many more to draw at random from everyone else
    description: str
    threads: tuple[ThreadData, ...] = field(default=())
    boards: tuple[BoardData, ...] = field(default=())

    @property
    def slug(self) -> str:
        return slugify(self.name)


GROUPS = (
    GroupData(
        name="Sneller vergunningen verlenen",
        kind=IMPROVEMENT,
        visibility=OPEN,
        owner="pieter.vandenberg",
        moderators=("jeroen.bakker", "fleur.vanleeuwen"),
        members=("anna.devries",),
        extra_members=9,
        description=(
            "Een vergunningaanvraag ligt gemiddeld **elf weken** bij ons. Dat kan sneller, "
            "zonder in te leveren op zorgvuldigheid.\n\n"
            "In deze verbetergroep:\n\n"
            "- brengen we de doorlooptijd per stap in kaart;\n"
            "- zoeken we naar dubbel werk tussen afdelingen;\n"
            "- testen we kleine verbeteringen in een pilot.\n\n"
            "Iedereen die met vergunningen werkt is welkom."
        ),
        threads=(
            ThreadData(
                "Waar zit de meeste wachttijd?",
                (
                    "Ik heb de doorlooptijden van het afgelopen jaar op een rij gezet. De meeste "
                    "tijd zit in het wachten op adviezen van andere afdelingen, niet in de "
                    "beoordeling zelf.",
                    "Herkenbaar. Bij ons blijven adviesverzoeken soms twee weken in een gedeelde "
                    "mailbox liggen voordat iemand ze oppakt.",
                    "Kunnen we voor interne adviezen een vaste termijn afspreken, bijvoorbeeld "
                    "vijf werkdagen?",
                ),
            ),
            ThreadData(
                "Pilot: vooroverleg met aanvragers",
                (
                    "Een buurgemeente doet standaard een vooroverleg van een half uur. Aanvragen "
                    "komen daarna veel vollediger binnen. Zullen we dat een kwartaal proberen?",
                    "Goed idee. Ik doe graag mee met de pilot voor natuurvergunningen.",
                    "Leg het vooroverleg dan wel vast in het zaaksysteem, anders weet een collega "
                    "later niet wat er is afgesproken.",
                ),
            ),
            ThreadData(
                "Checklist voor een volledige aanvraag",
                (
                    "De concept-checklist staat op de teamsite. Graag aanvullingen vóór vrijdag.",
                    "Ik mis nog de stikstofberekening bij projecten in de buurt van "
                    "Natura 2000-gebieden.",
                ),
            ),
        ),
        boards=(
            BoardData(
                "Ideeën voor kortere doorlooptijden",
                "Wat zou jouw deel van het proces sneller maken? Eén idee per kaart; "
                "stem op wat jij het belangrijkst vindt.",
                (
                    (
                        "Vaste termijn van vijf werkdagen voor interne adviezen",
                        "Adviesverzoeken krijgen een vaste reactietermijn, met een automatische "
                        "herinnering na drie dagen.",
                    ),
                    (
                        "Eén vast aanspreekpunt per aanvraag",
                        "De aanvrager heeft één contactpersoon die de hele procedure volgt.",
                    ),
                    (
                        "Digitaal vooroverleg via Teams",
                        "Een vooroverleg van dertig minuten, in te plannen via de website.",
                    ),
                    (
                        "Standaardteksten voor veelvoorkomende besluiten",
                        "Een bibliotheek met goedgekeurde teksten scheelt schrijfwerk en "
                        "juridische controle.",
                    ),
                    (
                        "Dashboard met doorlooptijden per stap",
                        "Laat per stap zien hoe lang een aanvraag er ligt, zodat knelpunten "
                        "meteen zichtbaar zijn.",
                    ),
                ),
            ),
        ),
    ),
    GroupData(
        name="Minder papier, meer digitaal",
        kind=IMPROVEMENT,
        visibility=OPEN,
        owner="eva.mulder",
        moderators=("ruben.vos",),
        members=("anna.devries",),
        extra_members=10,
        description=(
            "We printen als provincie nog ruim **800.000 vellen per jaar**. Deze groep zoekt "
            "uit waar papier echt nodig is en waar digitaal beter werkt.\n\n"
            "Doe mee als je ideeën hebt, of juist als je twijfelt: ook de lastige gevallen "
            "willen we horen."
        ),
        threads=(
            ThreadData(
                "Welke formulieren printen we nog?",
                (
                    "Ik maak een lijst van formulieren die nog op papier rondgaan: declaraties, "
                    "tekenbevoegdheden, verlof voor stagiairs. Wat kennen jullie nog meer?",
                    "De parafenlijst voor Gedeputeerde Staten gaat nog steeds als map rond.",
                    "Bij Financiën printen we facturen boven de € 50.000 voor een natte "
                    "handtekening.",
                    "Dat laatste is volgens mij niet meer nodig sinds de nieuwe "
                    "mandaatregeling. Ik zoek het uit.",
                ),
            ),
            ThreadData(
                "Ervaringen met digitaal ondertekenen",
                (
                    "Wie werkt al met digitaal ondertekenen? Ik ben benieuwd wat goed ging en "
                    "wat niet.",
                    "Wij gebruiken het voor subsidiebeschikkingen. Werkt prima, alleen externe "
                    "partijen hebben soms moeite met de link.",
                ),
            ),
            ThreadData(
                "Printers op de derde verdieping",
                (
                    "Voorstel: we halen twee van de vier printers op de derde verdieping weg. "
                    "Bezwaren?",
                    "Prima, als de printer bij de trap blijft. Daar halen de bodes de post op.",
                    "Eens. Graag dan ook een duidelijke instructie voor veilig printen met je pas.",
                ),
            ),
        ),
        boards=(
            BoardData(
                "Papierloze processen",
                "Welk proces kan morgen al zonder papier? Beschrijf kort hoe het nu gaat en "
                "hoe het beter kan.",
                (
                    (
                        "Parafenroute voor GS-stukken digitaal",
                        "Vervang de parafenmap door een digitale route in het documentsysteem, "
                        "met de status per stuk zichtbaar.",
                    ),
                    (
                        "Declaraties alleen nog via de app",
                        "Bonnetje fotograferen en meteen indienen; geen geprinte formulieren meer.",
                    ),
                    (
                        "Vergaderstukken alleen digitaal",
                        "Geen papieren stukken meer voor commissies, tenzij iemand er "
                        "uitdrukkelijk om vraagt.",
                    ),
                    (
                        "Standaard dubbelzijdig en zwart-wit printen",
                        "Alle printers staan standaard op dubbelzijdig en zwart-wit. Kleur "
                        "alleen als je daar bewust voor kiest.",
                    ),
                ),
            ),
            BoardData(
                "Digitaal archiveren",
                "Ideeën om sneller en beter digitaal te archiveren, zodat niemand meer een "
                "papieren dossier hoeft bij te houden.",
                (
                    (
                        "Automatisch archiveren bij het afsluiten van een zaak",
                        "Sluit je een zaak af, dan gaat het dossier vanzelf naar het e-depot.",
                    ),
                    (
                        "Scanstraat voor oude bouwdossiers",
                        "Een tijdelijke scanstraat om de oude papieren dossiers in één keer te "
                        "digitaliseren.",
                    ),
                    (
                        "Eén zoekvak voor alle archieven",
                        "Zoek in het actuele en het historische archief tegelijk.",
                    ),
                ),
            ),
        ),
    ),
    GroupData(
        name="Heldere brieven aan inwoners",
        kind=IMPROVEMENT,
        visibility=OPEN,
        owner="koen.hendriks",
        moderators=("hanneke.vermeulen",),
        members=(),
        extra_members=8,
        description=(
            "Inwoners en ondernemers moeten onze brieven in één keer begrijpen. We herschrijven "
            "veelgebruikte brieven op **B1-niveau** en delen tips.\n\n"
            "> Schrijf zoals je het aan de keukentafel zou uitleggen."
        ),
        threads=(
            ThreadData(
                "Voor en na: de ontvangstbevestiging",
                (
                    "Hier de oude en de nieuwe ontvangstbevestiging. De nieuwe is de helft korter "
                    "en begint met wat de lezer moet doen.",
                    "Veel beter! Alleen 'beschikking' zou ik vervangen door 'besluit'.",
                    "Goed punt, aangepast.",
                ),
            ),
            ThreadData(
                "Hoe check je je taalniveau?",
                (
                    "Welke hulpmiddelen gebruiken jullie om het taalniveau van een brief te "
                    "controleren?",
                    "Ik lees mijn tekst hardop voor. Klinkt het als een ambtenaar, dan schrijf "
                    "ik het opnieuw.",
                    "Er zijn online B1-checkers, maar plak er nooit persoonsgegevens in.",
                ),
            ),
        ),
        boards=(
            BoardData(
                "Brieven die beter kunnen",
                "Over welke brief krijg jij vaak vragen? Zet hem hier; de meest gesteunde "
                "pakken we als eerste op.",
                (
                    (
                        "Herinnering bij een onvolledige subsidieaanvraag",
                        "De brief noemt pas op de tweede pagina wat er ontbreekt.",
                    ),
                    (
                        "Uitnodiging voor een informatieavond",
                        "Zet datum, tijd en plaats bovenaan, niet in de vierde alinea.",
                    ),
                    (
                        "Besluit op bezwaar",
                        "Te juridisch. Begin met de uitkomst in gewone taal en leg daarna uit "
                        "waarom.",
                    ),
                    (
                        "Brief over werkzaamheden aan de provinciale weg",
                        "Omwonenden willen vooral weten wanneer, hoe lang en welke omleiding.",
                    ),
                ),
            ),
        ),
    ),
    GroupData(
        name="Beter inwerken van nieuwe collega's",
        kind=IMPROVEMENT,
        visibility=CLOSED,
        owner="iris.peters",
        moderators=("chantal.jacobs", "fatima.elamrani"),
        members=(),
        extra_members=7,
        description=(
            "Nieuwe collega's moeten zich vanaf dag één welkom voelen. We verbeteren het "
            "inwerkprogramma samen met mensen die net begonnen zijn.\n\n"
            "Deze groep is **besloten**: vraag toegang aan, dan nemen we contact met je op."
        ),
        threads=(
            ThreadData(
                "Wat miste jij in je eerste week?",
                (
                    "Je eerste week bij de provincie: wat had je graag eerder geweten?",
                    "Dat mijn laptop pas op dag drie klaar zou zijn. Ik heb twee dagen "
                    "beleidsstukken gelezen.",
                    "Hoe de organisatie in elkaar zit: GS, PS, directie, afdelingen. Een plaatje "
                    "had enorm geholpen.",
                    "Een vaste buddy. Ik wist niet bij wie ik met kleine vragen terechtkon.",
                ),
            ),
            ThreadData(
                "Buddyprogramma: de opzet",
                (
                    "Concept: iedere nieuwe collega krijgt drie maanden een buddy van een andere "
                    "afdeling. Reacties welkom.",
                    "Waarom van een andere afdeling? Voor praktische vragen is je eigen team "
                    "handiger.",
                    "Juist om je netwerk te vergroten. Praktische vragen gaan naar je teamleider.",
                ),
            ),
        ),
        boards=(
            BoardData(
                "Inwerkprogramma 2.0",
                "Ideeën voor een beter inwerkprogramma. Stem op wat jij het meest gemist hebt.",
                (
                    (
                        "Laptop en toegangspas klaar op dag één",
                        "HR en ICT plannen de aanvraag zodra het contract getekend is.",
                    ),
                    (
                        "Rondleiding door het provinciehuis",
                        "Inclusief de Statenzaal en een kijkje bij de bodes en de servicedesk.",
                    ),
                    (
                        "Buddy van een andere afdeling",
                        "Drie maanden lang een vast aanspreekpunt buiten je eigen team.",
                    ),
                    (
                        "Welkomstlunch met de directie",
                        "Eens per kwartaal lunchen alle nieuwe collega's met een directielid.",
                    ),
                    (
                        "Organogram in gewone taal",
                        "Eén pagina die uitlegt wie wat doet, van gedeputeerde tot team.",
                    ),
                    (
                        "Terugkomdag na drie maanden",
                        "Een middag om ervaringen te delen en het programma te verbeteren.",
                    ),
                ),
            ),
        ),
    ),
    GroupData(
        name="Subsidieaanvragen eenvoudiger",
        kind=IMPROVEMENT,
        visibility=CLOSED,
        owner="youssef.bennani",
        moderators=("noor.meijer", "bram.dejong"),
        members=(),
        extra_members=8,
        description=(
            "Verenigingen en kleine ondernemers haken af bij onze subsidieaanvragen. We maken "
            "het aanvragen **eenvoudiger**, zonder de verantwoording uit het oog te "
            "verliezen.\n\n"
            "Besloten groep, omdat we ook casussen van echte aanvragers bespreken."
        ),
        threads=(
            ThreadData(
                "Casus: het dorpshuis dat drie keer moest aanvullen",
                (
                    "Het bestuur van een dorpshuis heeft drie keer een aanvulling moeten sturen. "
                    "Alle vragen stonden wel in de regeling, maar verspreid over vier "
                    "documenten.",
                    "Dit zie ik vaak. Eén overzicht van de benodigde stukken zou al veel schelen.",
                ),
            ),
            ThreadData(
                "Vaststellen zonder verantwoording onder € 25.000",
                (
                    "Andere provincies stellen kleine subsidies ambtshalve vast. Kunnen wij dat "
                    "ook?",
                    "Vanuit Financiën is dat bespreekbaar, als we steekproefsgewijs controleren.",
                    "De accountant wil dan wel een vastgelegd controleprotocol zien.",
                ),
            ),
            ThreadData(
                "Feedback van aanvragers verzamelen",
                (
                    "Zullen we na elke beschikking een korte vragenlijst meesturen?",
                    "Houd het kort: drie vragen, niet meer.",
                    "En de uitkomsten elk kwartaal in deze groep delen.",
                ),
            ),
        ),
        boards=(
            BoardData(
                "Eenvoudiger aanvragen",
                "Wat maakt het aanvragen van subsidie makkelijker voor inwoners, verenigingen "
                "en ondernemers?",
                (
                    (
                        "Eén overzicht van benodigde stukken per regeling",
                        "Op één pagina wat je nodig hebt, voordat je aan de aanvraag begint.",
                    ),
                    (
                        "Ambtshalve vaststelling voor kleine subsidies",
                        "Onder € 25.000 geen eindverantwoording meer, wel steekproeven.",
                    ),
                    (
                        "Aanvraagformulier dat tussentijds opslaat",
                        "Zodat je een aanvraag in meerdere keren kunt invullen.",
                    ),
                    (
                        "Telefonisch spreekuur voor aanvragers",
                        "Elke woensdagochtend een vast uur waarin je een adviseur kunt bellen.",
                    ),
                ),
            ),
            BoardData(
                "Regelingen opschonen",
                "Welke regelingen kunnen samen, korter of weg?",
                (
                    (
                        "Vergelijkbare regelingen samenvoegen",
                        "Drie regelingen voor dorpshuizen kunnen er één worden.",
                    ),
                    (
                        "Vaste openstellingsdata per jaar",
                        "Aanvragers weten dan ruim van tevoren wanneer ze kunnen indienen.",
                    ),
                    (
                        "Eén standaard begrotingsformat",
                        "Hetzelfde format voor alle regelingen, met voorbeelden.",
                    ),
                ),
            ),
        ),
    ),
    GroupData(
        name="Informatiebeveiliging op orde",
        kind=IMPROVEMENT,
        visibility=PRIVATE,
        owner="niels.smits",
        moderators=("priya.raman",),
        members=(),
        extra_members=6,
        description=(
            "Werkgroep voor de verbeteracties uit de laatste **ENSIA-audit**. Alleen op "
            "uitnodiging, omdat we kwetsbaarheden bespreken.\n\n"
            "Meld een beveiligingsincident niet hier, maar meteen bij de servicedesk."
        ),
        threads=(
            ThreadData(
                "Planning van de verbeteracties",
                (
                    "De actielijst uit de audit staat in de beveiligde map. Graag per actie een "
                    "trekker vóór het einde van de maand.",
                    "Ik neem het wachtwoordbeleid en de uitrol van MFA voor externe accounts.",
                    "Ik pak de bewaartermijnen van de logbestanden op.",
                ),
            ),
            ThreadData(
                "Uitkomsten van de phishingtest",
                (
                    "Bij de laatste phishingtest klikte 14% op de link. Vorig jaar was dat 22%.",
                    "Mooie daling. Kunnen we de afdelingen met de meeste klikken een workshop "
                    "aanbieden?",
                    "Liever niet per afdeling: dat voelt als een afrekening. Een algemene "
                    "workshop werkt beter.",
                ),
            ),
        ),
        boards=(
            BoardData(
                "Verbeteracties",
                "Ideeën om veilig werken makkelijker te maken voor collega's.",
                (
                    (
                        "MFA ook voor externe accounts",
                        "Ingehuurde collega's en leveranciers loggen ook in met een tweede factor.",
                    ),
                    (
                        "Meldknop voor phishing in Outlook",
                        "Eén klik om een verdachte mail door te sturen naar de servicedesk.",
                    ),
                    (
                        "Korte e-learning in plaats van een lange cursus",
                        "Elk kwartaal tien minuten, in plaats van één keer per jaar twee uur.",
                    ),
                ),
            ),
        ),
    ),
    GroupData(
        name="Fietsers van het provinciehuis",
        kind=INTEREST,
        visibility=OPEN,
        owner="thijs.deboer",
        moderators=("jeroen.bakker",),
        members=("anna.devries",),
        extra_members=12,
        description=(
            "Voor iedereen die op de fiets naar het werk komt, of dat wil gaan doen. We delen "
            "routes, organiseren de **fietsdag** en denken mee over de fietsenstalling.\n\n"
            "Ook e-bikers en speedpedelecrijders zijn van harte welkom."
        ),
        threads=(
            ThreadData(
                "Fietsenstalling vol na negen uur",
                (
                    "Na negen uur is er in de stalling geen plek meer. Weet iemand of er "
                    "plannen zijn voor uitbreiding?",
                    "Facilitair onderzoekt een tweede laag rekken. Ik vraag naar de planning.",
                    "Er staan ook veel fietsen die al maanden niet gebruikt zijn. Eerst labelen "
                    "en opruimen?",
                    "Goed idee, dat deed de gemeente vorig jaar ook.",
                ),
            ),
            ThreadData(
                "Mooiste route vanuit het oosten",
                (
                    "Ik fiets vanuit het oosten via het kanaalpad. Tien minuten langer, maar geen "
                    "enkel verkeerslicht.",
                    "Dat pad is 's winters wel slecht verlicht. Dan neem ik liever het fietspad "
                    "langs de provinciale weg.",
                ),
            ),
            ThreadData(
                "Fietsdag in september",
                (
                    "We organiseren weer een fietsdag met een tocht langs provinciale projecten. "
                    "Wie helpt mee?",
                    "Ik help mee! Vorig jaar was de nieuwe fietsbrug een hoogtepunt.",
                    "Ik kan een stop regelen bij het natuurherstel in het beekdal.",
                ),
            ),
        ),
        boards=(
            BoardData(
                "Beter fietsen naar het werk",
                "Wat zou jou (vaker) op de fiets naar het werk krijgen?",
                (
                    (
                        "Extra laadpunten voor e-bikes",
                        "Nu zijn er maar zes, en die zijn om half negen al bezet.",
                    ),
                    (
                        "Douches en kluisjes bij de stalling",
                        "Handig voor wie van ver komt of hard fietst.",
                    ),
                    (
                        "Fietsreparatiedag twee keer per jaar",
                        "Een monteur komt langs voor kleine reparaties en een veiligheidscheck.",
                    ),
                    (
                        "Hogere fietsvergoeding per kilometer",
                        "Gelijk aan de vergoeding die collega's met de auto krijgen.",
                    ),
                    (
                        "Gratis fietsverlichting in de winter",
                        "Uit te delen bij de receptie in de eerste week van november.",
                    ),
                ),
            ),
        ),
    ),
    GroupData(
        name="Data en AI",
        kind=INTEREST,
        visibility=OPEN,
        owner="priya.raman",
        moderators=("ruben.vos", "esther.dijkstra"),
        members=("anna.devries",),
        extra_members=11,
        description=(
            "Voor collega's die werken met data, dashboards of AI, of daar meer over willen "
            "weten. We delen kennis, ervaringen en **de regels**: de AI-verordening, de AVG en "
            "het Algoritmeregister.\n\n"
            "Vragen van beginners zijn net zo welkom als die van experts."
        ),
        threads=(
            ThreadData(
                "Mogen we generatieve AI gebruiken voor conceptteksten?",
                (
                    "Ik krijg deze vraag vaak. Wat is op dit moment de afspraak?",
                    "Volgens de interne richtlijn mag het voor openbare informatie, niet voor "
                    "persoonsgegevens of vertrouwelijke stukken.",
                    "En je controleert altijd zelf en blijft verantwoordelijk. De AI schrijft "
                    "niet namens de provincie.",
                ),
            ),
            ThreadData(
                "Algoritmeregister: wat moet erin?",
                (
                    "We moeten onze algoritmes publiceren in het Algoritmeregister. Welke "
                    "toepassingen vallen daaronder?",
                    "Alles met impact op inwoners of bedrijven, zoals de risicoselectie bij "
                    "subsidiecontroles.",
                    "Ik heb een inventarisatielijst gemaakt. Wie wil meelezen?",
                ),
            ),
            ThreadData(
                "Cursus Python voor beleidsmedewerkers",
                (
                    "Is er belangstelling voor een cursus Python van vier middagen? Ik heb een "
                    "aanbod van de opleider die ook andere provincies traint.",
                    "Ja! Vooral voor het opschonen van Excel-bestanden die we elk kwartaal "
                    "krijgen.",
                    "Graag, als de oefeningen met onze eigen open data zijn.",
                ),
            ),
            ThreadData(
                "Lunchsessie: dashboards in Power BI",
                (
                    "Volgende week donderdag een lunchsessie over Power BI voor beginners. Neem "
                    "je laptop mee!",
                    "Wordt de sessie opgenomen? Ik ben die dag in het gebied.",
                ),
            ),
        ),
        boards=(
            BoardData(
                "Datatoepassingen",
                "Waar kan data jouw werk makkelijker maken? Beschrijf het probleem; de "
                "oplossing zoeken we samen.",
                (
                    (
                        "Dashboard met verkeersdrukte op provinciale wegen",
                        "Actuele en historische intensiteiten op één kaart.",
                    ),
                    (
                        "Automatisch samenvatten van zienswijzen",
                        "Bij grote projecten komen honderden zienswijzen binnen. Een "
                        "eerste indeling per thema scheelt dagen werk.",
                    ),
                    (
                        "Open data over verleende subsidies",
                        "Publiceer wie welke subsidie kreeg, als open dataset.",
                    ),
                    (
                        "Onderhoud aan bruggen voorspellen",
                        "Met sensordata en inspectierapporten plannen we onderhoud eerder.",
                    ),
                    (
                        "Datakwaliteit van het zaaksysteem verbeteren",
                        "Verplichte velden en keuzelijsten in plaats van vrije tekst.",
                    ),
                    (
                        "Eén overzicht van alle dashboards",
                        "Nu weet niemand welke dashboards er al zijn.",
                    ),
                ),
            ),
        ),
    ),
    GroupData(
        name="Duurzaam werken",
        kind=INTEREST,
        visibility=OPEN,
        owner="lotte.visser",
        moderators=("marloes.brouwer",),
        members=("anna.devries",),
        extra_members=10,
        description=(
            "De provincie wil in 2030 klimaatneutraal werken. Wat kunnen we zelf doen, van de "
            "kantine tot dienstreizen?\n\n"
            "- tips en ervaringen delen;\n"
            "- acties organiseren, zoals de **Warmetruiendag**;\n"
            "- voorstellen doen aan facilitair en directie."
        ),
        threads=(
            ThreadData(
                "Vegetarisch als standaard in de kantine",
                (
                    "Bij andere overheden is vegetarisch de standaard bij lunches en "
                    "vergaderingen; vlees bestel je apart. Zullen we dat voorstellen?",
                    "Ik ben voor. Wel graag een goede vegetarische kroket, dan is iedereen om.",
                    "Laten we het eerst drie maanden proberen en dan evalueren.",
                ),
            ),
            ThreadData(
                "Dienstreizen met de trein",
                (
                    "Wie rijdt er voor overleg in Den Haag nog met de auto? De trein is vaak "
                    "sneller en je kunt onderweg werken.",
                    "Voor locatiebezoeken in het buitengebied is de auto soms echt nodig. "
                    "Deelauto's zouden helpen.",
                ),
            ),
            ThreadData(
                "Warmetruiendag",
                (
                    "Op Warmetruiendag zetten we de verwarming twee graden lager. Wie maakt de "
                    "posters?",
                    "Ik doe de posters en het bericht op intranet.",
                    "Leuk om ook de besparing van die dag te laten zien. Ik vraag de cijfers op "
                    "bij facilitair.",
                ),
            ),
        ),
        boards=(
            BoardData(
                "Duurzaam kantoor",
                "Ideeën voor een duurzamer provinciehuis.",
                (
                    (
                        "Vegetarische lunch als standaard",
                        "Vlees alleen op bestelling; scheelt CO2 en voedselverspilling.",
                    ),
                    (
                        "Deelauto's bij het provinciehuis",
                        "Elektrische deelauto's voor dienstreizen naar het buitengebied.",
                    ),
                    (
                        "Zonnepanelen op de parkeergarage",
                        "Het dak ligt vol in de zon en wordt nu niet gebruikt.",
                    ),
                    (
                        "Geen wegwerpbekers meer",
                        "Iedereen krijgt een eigen beker; de automaten accepteren alleen nog "
                        "herbruikbare bekers.",
                    ),
                ),
            ),
            BoardData(
                "Duurzame dienstreizen",
                "Hoe maken we dienstreizen schoner zonder dat het werk eronder lijdt?",
                (
                    (
                        "Mobiliteitskaart voor iedereen",
                        "Trein, bus en deelfiets op één kaart, zonder voorschieten.",
                    ),
                    (
                        "Trein als standaard binnen Nederland",
                        "De auto alleen als het met het openbaar vervoer echt niet kan.",
                    ),
                    (
                        "CO2-teller in de reisdeclaratie",
                        "Laat bij elke declaratie zien hoeveel CO2 de reis kostte.",
                    ),
                ),
            ),
        ),
    ),
    GroupData(
        name="Jong Provincie",
        kind=INTEREST,
        visibility=CLOSED,
        owner="sanne.jansen",
        moderators=("daan.smit",),
        members=(),
        extra_members=8,
        description=(
            "Netwerk voor collega's tot 35 jaar en iedereen die net begonnen is. We organiseren "
            "borrels, kijkjes in de keuken bij andere afdelingen en **intervisie**.\n\n"
            "Besloten groep: vraag gerust toegang aan."
        ),
        threads=(
            ThreadData(
                "Kijkje in de keuken bij Bestuursondersteuning",
                (
                    "We mogen een ochtend meelopen bij Bestuursondersteuning, inclusief de "
                    "voorbereiding van een GS-vergadering. Wie wil mee?",
                    "Ik! Ik heb nooit echt begrepen hoe een GS-besluit tot stand komt.",
                    "Ik ook. Kan ik mijn vragen van tevoren insturen?",
                ),
            ),
            ThreadData(
                "Borrel na de zomer",
                (
                    "Zin in een borrel na de zomer? Voorstel: de tweede donderdag van september, "
                    "in het café om de hoek.",
                    "Goed plan, ik neem collega's van Economie mee.",
                ),
            ),
        ),
        boards=(
            BoardData(
                "Activiteiten",
                "Wat wil jij met Jong Provincie doen? Stem op de activiteiten die jij leuk vindt.",
                (
                    (
                        "Intervisiegroepjes van vijf personen",
                        "Eens per zes weken, onder begeleiding van een coach van HR.",
                    ),
                    (
                        "Excursie naar een provinciaal project",
                        "Bijvoorbeeld de bouw van de nieuwe fietsbrug of een natuurproject.",
                    ),
                    (
                        "Koffie met een gedeputeerde",
                        "Een informeel gesprek van een uur, met vijf jonge collega's.",
                    ),
                    (
                        "Mentorprogramma met ervaren collega's",
                        "Een jaar lang eens per maand sparren met iemand die de organisatie kent.",
                    ),
                ),
            ),
        ),
    ),
    GroupData(
        name="Wandelen in de lunchpauze",
        kind=INTEREST,
        visibility=OPEN,
        owner="annelies.degraaf",
        moderators=("wouter.dewit",),
        members=(),
        extra_members=9,
        description=(
            "Elke dinsdag en donderdag om **12.30 uur** lopen we een rondje van een half uur "
            "vanaf de hoofdingang. Geen tempo-eisen, wel goede gesprekken."
        ),
        threads=(
            ThreadData(
                "Nieuwe route door het park",
                (
                    "Nieuwe route: door het park en langs de gracht terug. Precies drie kilometer.",
                    "Mooi rondje! Na regen is het pad langs de vijver wel modderig.",
                ),
            ),
            ThreadData(
                "Wandelend vergaderen",
                (
                    "Wie heeft ervaring met wandelend vergaderen? Ik wil het proberen met mijn "
                    "team.",
                    "Werkt prima voor een één-op-één. Met meer dan drie mensen wordt het rommelig.",
                    "Tip: spreek vooraf af wie de afspraken daarna opschrijft.",
                ),
            ),
        ),
        boards=(
            BoardData(
                "Wandelideeën",
                "Ideeën om meer te bewegen tijdens het werk.",
                (
                    (
                        "Wandelroutes op intranet",
                        "Drie routes van een half uur vanaf het provinciehuis, met kaartje.",
                    ),
                    (
                        "Wandelend vergaderen als optie in de agenda",
                        "Een vinkje bij de uitnodiging, zodat mensen goede schoenen meenemen.",
                    ),
                    (
                        "Maandelijkse lange wandeling op vrijdag",
                        "Eén keer per maand een uur, langs een provinciaal project.",
                    ),
                ),
            ),
        ),
    ),
    GroupData(
        name="Leidinggevendenkring",
        kind=INTEREST,
        visibility=PRIVATE,
        owner="marieke.vanderlinden",
        moderators=("hans.koster",),
        members=("ellen.prins", "pieter.vandenberg", "iris.peters", "koen.hendriks"),
        extra_members=2,
        description=(
            "Besloten kring voor leidinggevenden om ervaringen te delen over leiderschap, "
            "hybride werken en lastige situaties.\n\n"
            "**Wat hier besproken wordt, blijft hier.**"
        ),
        threads=(
            ThreadData(
                "Hybride werken: hoe houd je het team bij elkaar?",
                (
                    "Mijn team is op dinsdag en donderdag op kantoor, maar er is altijd wel "
                    "iemand thuis. Hoe gaan jullie daarmee om?",
                    "Wij hebben één vaste teamdag per week waarop iedereen komt. Dat werkt goed.",
                    "Bij ons helpt een wekelijkse check-in van een kwartier, los van het "
                    "werkoverleg.",
                ),
            ),
            ThreadData(
                "Werkdruk na de begrotingsronde",
                (
                    "Na de begrotingsronde zie ik veel vermoeidheid. Op welke signalen letten "
                    "jullie?",
                    "Overwerk in de agenda en kortere lontjes in overleggen. Ik bespreek het "
                    "dan één-op-één.",
                ),
            ),
        ),
        boards=(
            BoardData(
                "Leiderschap",
                "Wat helpt ons om beter leiding te geven?",
                (
                    (
                        "Intervisie voor leidinggevenden",
                        "Elk kwartaal in vaste groepjes, over echte casussen.",
                    ),
                    (
                        "Vaste teamdag per afdeling",
                        "Eén dag per week waarop het hele team op kantoor is.",
                    ),
                    (
                        "Training lastige gesprekken",
                        "Met een acteur, over verzuim, conflicten en slecht nieuws.",
                    ),
                ),
            ),
        ),
    ),
)

# Short replies mixed into the discussions, so threads read like real ones.
REPLIES = (
    "Eens, goed voorstel.",
    "Goed punt! Ik neem het mee naar ons teamoverleg.",
    "Herkenbaar, bij ons team speelt precies hetzelfde.",
    "Kunnen we dit op de volgende bijeenkomst bespreken?",
    "Ik denk graag mee. Stuur me gerust een bericht.",
    "Dank voor het delen!",
    "Interessant. Weet iemand hoe andere provincies dit aanpakken?",
    "Ik twijfel nog: wat kost het, en wie gaat het doen?",
    "Dit sluit mooi aan bij wat we vorig jaar hebben geprobeerd.",
    "Daar zou ik echt tijd mee besparen.",
    "Misschien goed om de ondernemingsraad er vroeg bij te betrekken.",
    "Wie pakt dit op? Ik help graag mee.",
    "Fijn dat dit eindelijk wordt opgepakt.",
)
MAX_POSTS_PER_THREAD = 6
REACTIONS = ("thumbs_up", "heart", "tada", "thinking")

# How often each status occurs among the seeded ideas.
STATUS_WEIGHTS = {
    Idea.Status.NEW: 30,
    Idea.Status.UNDER_REVIEW: 20,
    Idea.Status.ACCEPTED: 12,
    Idea.Status.PLANNED: 12,
    Idea.Status.IMPLEMENTED: 10,
    Idea.Status.DECLINED: 10,
    Idea.Status.DUPLICATE: 6,
}


# The official response that came with each decision.
RESPONSES = {
    Idea.Status.UNDER_REVIEW: "We bekijken dit voorstel met de betrokken afdelingen. "
    "Binnen een maand hoort de groep meer.",
    Idea.Status.ACCEPTED: "Goed voorstel. We nemen het over; de uitwerking volgt.",
    Idea.Status.PLANNED: "Dit staat op de planning voor het komende kwartaal.",
    Idea.Status.IMPLEMENTED: "Dit is ingevoerd. Dank aan iedereen die meedacht!",
    Idea.Status.DECLINED: "We doen dit nu niet: het past niet binnen budget en planning. "
    "We kijken er volgend jaar opnieuw naar.",
    Idea.Status.DUPLICATE: "Dit voorstel lijkt op een ander idee op dit bord; "
    "we behandelen ze samen.",
}


@dataclass(frozen=True)
class Story:
    """An idea that shows the leadership dashboard at work: many votes, and either waiting
    too long for an answer or answered, with someone responsible and a later update."""

    status: str
    days_ago: int  # when it was posted
    owner: str = ""  # username of the person responsible for follow-up
    follow_up: str = ""  # a later update by leadership, same status


STORIES = {
    # Over the vote threshold for weeks, without an answer: flagged "awaiting response".
    "Eén vast aanspreekpunt per aanvraag": Story(Idea.Status.NEW, 40),
    "Douches en kluisjes bij de stalling": Story(Idea.Status.NEW, 33),
    "Automatisch samenvatten van zienswijzen": Story(Idea.Status.NEW, 27),
    # Answered, with an owner and a follow-up update.
    "Vaste termijn van vijf werkdagen voor interne adviezen": Story(
        Idea.Status.ACCEPTED,
        45,
        owner="pieter.vandenberg",
        follow_up="Stand van zaken: de afdelingen hebben de termijn van vijf werkdagen "
        "afgesproken. Vanaf volgende maand stuurt het zaaksysteem na drie dagen een herinnering.",
    ),
    "Extra laadpunten voor e-bikes": Story(
        Idea.Status.PLANNED,
        50,
        owner="hans.koster",
        follow_up="Update: de offerte voor twaalf extra laadpunten is goedgekeurd. Ze worden "
        "in het voorjaar geplaatst.",
    ),
    "Dashboard met verkeersdrukte op provinciale wegen": Story(
        Idea.Status.UNDER_REVIEW,
        38,
        owner="ruben.vos",
        follow_up="Tussenstand: de verkeerstellingen zijn beschikbaar als open data. We "
        "bouwen eerst een proefversie voor de wegbeheerders.",
    ),
}
FOLLOW_UP_BY = LEADER_LOGIN
FOLLOW_UP_AFTER = timedelta(days=21)


# --- Writing it to the database -------------------------------------------------------


class Seeder:
    """Creates what is missing; never changes a row that is already there."""

    def __init__(self):
        self.created = Counter()
        self.now = timezone.now()
        self.users = {}
        self._password_hash = None

    def get_or_create(self, label, model, defaults=None, **lookup):
        # filter().first() rather than Model.objects.get_or_create(): threads, posts, boards
        # and ideas have no unique natural key, and people may add a look-alike in the demo.
        obj = model.objects.filter(**lookup).order_by("pk").first()
        if obj is not None:
            return obj, False
        obj = model.objects.create(**lookup, **(defaults or {}))
        self.created[label] += 1
        return obj, True

    @property
    def password_hash(self):
        # Hashing is slow on purpose; one hash serves every new demo account.
        if self._password_hash is None:
            self._password_hash = make_password(DEMO_PASSWORD)
        return self._password_hash

    def seed(self):
        for person in EVERYONE:
            self.users[person.username] = self.user(person)
        self.leadership()
        for data in GROUPS:
            # One generator per group: adding a group later does not reshuffle the others.
            self.group(data, random.Random(f"{SEED}:{data.slug}"))
        self.waiting_for_answers()

    def user(self, person):
        admin = person is ADMIN
        user, _ = self.get_or_create(
            "users",
            get_user_model(),
            defaults={
                "username": person.username,
                "first_name": "" if admin else person.first_name,
                "last_name": "" if admin else person.last_name,
                "display_name": person.display_name,
                "department": person.department,
                "language": person.language,
                "is_staff": admin,
                "is_superuser": admin,
                "password": self.password_hash,
            },
            email=person.email,
        )
        self.get_or_create(
            "email addresses",
            EmailAddress,
            defaults={"verified": True, "primary": True},
            user=user,
            email=person.email,
        )
        return user

    def leadership(self):
        group, _ = AuthGroup.objects.get_or_create(name=settings.KRING_LEADERSHIP_GROUP)
        group.permissions.add(
            Permission.objects.get(content_type__app_label="hub", codename="review_ideas")
        )
        for person in LEADERS:
            self.users[person.username].groups.add(group)

    def group(self, data, rng):
        group, new = self.get_or_create(
            "groups",
            Group,
            defaults={
                "name": data.name,
                "kind": data.kind,
                "visibility": data.visibility,
                "description": data.description,
                "created_by": self.users[data.owner],
                "created_at": self.now - timedelta(days=120),
                # Each group its own colour, spread over the palette in list order.
                "colour": COLOURS[GROUPS.index(data) % len(COLOURS)],
            },
            slug=data.slug,
        )
        members = self.memberships(group, new, data, rng)
        for number, thread in enumerate(data.threads):
            starter = members[0] if number == 0 else rng.choice(members)
            self.thread(group, thread, starter, members, rng, pinned=number == 0 and new)
        for board in data.boards:
            self.board(group, board, members, rng)
        if new:
            latest = group.threads.order_by("-last_activity_at").first()
            if latest:
                Group.objects.filter(pk=group.pk).update(last_activity_at=latest.last_activity_at)
            ModerationLogEntry.objects.create(
                group=group,
                actor=self.users[data.owner],
                action=ModerationLogEntry.Action.CREATE_GROUP,
                created_at=group.created_at,
            )

    def waiting_for_answers(self):
        """Something for the moderators and staff to do: join requests and a proposed group."""
        member = self.users[MEMBER_LOGIN]
        for data in GROUPS:
            if data.visibility != CLOSED:
                continue
            group = Group.objects.get(slug=data.slug)
            if not group.memberships.filter(user=member).exists():
                self.get_or_create(
                    "join requests",
                    JoinRequest,
                    defaults={"message": JOIN_REQUEST_MESSAGE},
                    group=group,
                    user=member,
                )
                break
        proposal, new = self.get_or_create(
            "groups",
            Group,
            defaults={
                "name": PROPOSED_GROUP_NAME,
                "kind": IMPROVEMENT,
                "visibility": OPEN,
                "status": Group.Status.PENDING,
                "description": PROPOSED_GROUP_DESCRIPTION,
                "created_by": self.users[PROPOSER_LOGIN],
            },
            slug=slugify(PROPOSED_GROUP_NAME),
        )
        if new:
            proposer = self.users[PROPOSER_LOGIN]
            Membership.objects.create(group=proposal, user=proposer, role=Membership.Role.OWNER)
            ModerationLogEntry.objects.create(
                group=proposal, actor=proposer, action=ModerationLogEntry.Action.CREATE_GROUP
            )

    def memberships(self, group, new, data, rng):
        """Owner, moderators, then members; returns the users in that order."""
        # The demo member is never drawn, so the groups she is in are the ones listed.
        taken = {data.owner, *data.moderators, *data.members, MEMBER_LOGIN}
        pool = [p.username for p in (*LEADERS, *EMPLOYEES) if p.username not in taken]
        members = [*data.members, *sorted(rng.sample(pool, data.extra_members))]
        roles = [(data.owner, Membership.Role.OWNER)]
        roles += [(username, Membership.Role.MODERATOR) for username in data.moderators]
        roles += [(username, Membership.Role.MEMBER) for username in members]
        joined = set() if new else set(group.memberships.values_list("user_id", flat=True))
        missing = [
            Membership(group=group, user=self.users[username], role=role)
            for username, role in roles
            if self.users[username].pk not in joined
        ]
        if missing:
            Membership.objects.bulk_create(missing)
            self.created["memberships"] += len(missing)
        return [self.users[username] for username, _ in roles]

    def thread(self, group, data, starter, members, rng, pinned=False):
        started = self.now - timedelta(days=rng.randint(3, 60), minutes=rng.randint(0, 600))
        room = MAX_POSTS_PER_THREAD - len(data.posts)
        bodies = [*data.posts, *rng.sample(REPLIES, rng.randint(0, min(2, room)))]
        authors, times = [starter], [started]
        for _ in bodies[1:]:
            authors.append(rng.choice([m for m in members if m != authors[-1]]))
            times.append(times[-1] + timedelta(minutes=rng.randint(10, 480)))
        thread, new = self.get_or_create(
            "threads",
            Thread,
            defaults={"author": starter, "created_at": started, "last_activity_at": times[-1]},
            group=group,
            title=data.title,
        )
        for body, author, created_at in zip(bodies, authors, times, strict=True):
            if new:  # nothing to look up in a thread that did not exist a moment ago
                Post.objects.create(thread=thread, author=author, body=body, created_at=created_at)
                self.created["posts"] += 1
            else:
                self.get_or_create(
                    "posts",
                    Post,
                    defaults={"created_at": created_at},
                    thread=thread,
                    author=author,
                    body=body,
                )
        recount_thread(thread)
        if pinned:  # each group's first thread is its pinned introduction
            Thread.objects.filter(pk=thread.pk).update(is_pinned=True)
        for post in thread.posts.all()[:2]:  # a few reactions, as colleagues leave them
            for emoji, fan in zip(rng.sample(REACTIONS, 2), rng.sample(members, 2), strict=True):
                self.get_or_create("reactions", Reaction, post=post, user=fan, emoji=emoji)
        for author in set(authors):  # people have read a thread up to their own last post
            last = thread.posts.filter(author=author).order_by("-id").first()
            mark_read(user=author, thread=thread, post_id=last.pk)

    def board(self, group, data, members, rng):
        board, _ = self.get_or_create(
            "idea boards",
            Board,
            defaults={"brief": data.brief, "created_at": self.now - timedelta(days=90)},
            group=group,
            title=data.title,
        )
        statuses, weights = list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values())
        for title, body in data.ideas:
            author = rng.choice(members)
            status = rng.choices(statuses, weights)[0]
            created_at = self.now - timedelta(days=rng.randint(1, 80), hours=rng.randint(0, 23))
            others = [m for m in members if m != author]
            voters = rng.sample(others, rng.randint(0, len(others)))
            story = STORIES.get(title)
            if story:  # the dashboard's examples: over the vote threshold, posted weeks ago
                status = story.status
                created_at = self.now - timedelta(days=story.days_ago, hours=rng.randint(0, 23))
                wanted = max(len(voters), settings.KRING_RESPONSE_VOTE_THRESHOLD)
                voters = [*voters, *(m for m in others if m not in voters)][:wanted]
            idea, new = self.get_or_create(
                "ideas",
                Idea,
                defaults={
                    "author": author,
                    "body": body,
                    "status": status,
                    "created_at": created_at,
                },
                board=board,
                title=title,
            )
            self.votes(idea, new, voters, created_at, rng)
            self.decision(idea, group, created_at)
            self.follow_up(idea, story)
            self.response_clock(idea)

    def follow_up(self, idea, story):
        """A later update by leadership on an answered idea, and who is responsible."""
        if not story or not story.follow_up or idea.status != story.status:
            return
        if idea.status_changes.filter(response=story.follow_up).exists():
            return
        first = idea.status_changes.order_by("created_at", "pk").first()
        if first is None:
            return
        updated_at = min(first.created_at + FOLLOW_UP_AFTER, self.now)
        StatusChange.objects.create(
            idea=idea,
            actor=self.users[FOLLOW_UP_BY],
            from_status=idea.status,
            to_status=idea.status,
            response=story.follow_up,
            created_at=updated_at,
        )
        Idea.objects.filter(pk=idea.pk).update(
            owner=self.users[story.owner], status_changed_at=updated_at
        )
        self.created["follow-up updates"] += 1

    def response_clock(self, idea):
        """When the idea reached the vote threshold and last had an official response, as
        cast_vote and change_status record them (derived from the rows, so filled in once)."""
        updates = {}
        threshold = settings.KRING_RESPONSE_VOTE_THRESHOLD
        if idea.threshold_reached_at is None and threshold > 0:
            times = idea.votes.order_by("created_at", "pk").values_list("created_at", flat=True)
            reached = list(times[threshold - 1 : threshold])
            if reached:
                updates["threshold_reached_at"] = reached[0]
        if idea.responded_at is None:
            responded = (
                idea.status_changes.exclude(response="")
                .order_by("-created_at", "-pk")
                .values_list("created_at", flat=True)
                .first()
            )
            if responded:
                updates["responded_at"] = responded
        if updates:
            Idea.objects.filter(pk=idea.pk).update(**updates)

    def decision(self, idea, group, since):
        """Ideas past "new" got there by a recorded decision with an official response."""
        if idea.status == Idea.Status.NEW or idea.status_changes.exists():
            return
        decided_at = min(since + timedelta(days=7), self.now)
        StatusChange.objects.create(
            idea=idea,
            actor=group.created_by,
            from_status=Idea.Status.NEW,
            to_status=idea.status,
            response=RESPONSES[idea.status],
            created_at=decided_at,
        )
        Idea.objects.filter(pk=idea.pk).update(status_changed_at=decided_at)
        self.created["decisions"] += 1

    def votes(self, idea, new, voters, since, rng):
        times = [min(since + timedelta(hours=rng.randint(1, 72)), self.now) for _ in voters]
        voted = set() if new else set(idea.votes.values_list("user_id", flat=True))
        missing = [
            Vote(idea=idea, user=voter, created_at=voted_at)
            for voter, voted_at in zip(voters, times, strict=True)
            if voter.pk not in voted
        ]
        if missing:
            Vote.objects.bulk_create(missing)
            self.created["votes"] += len(missing)
            # The denormalised count moves in the same transaction as the rows it counts.
            times = list(idea.votes.values_list("created_at", flat=True))
            Idea.objects.filter(pk=idea.pk).update(
                vote_count=len(times), trending=ranking.from_votes(times)
            )


class Command(BaseCommand):
    help = (
        "Fill the database with a demo province: about thirty employees, twelve groups, "
        "discussions, ideas and votes. Safe to run again: it only adds what is missing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Seed even though DEBUG is off and the site already has other accounts.",
        )

    def handle(self, *args, force=False, **options):
        if not (force or settings.DEBUG):
            self.refuse_on_a_real_site()
        seeder = Seeder()
        with transaction.atomic():
            seeder.seed()
        self.report(seeder.created)

    def refuse_on_a_real_site(self):
        """Demo accounts share a published password, the administrator included."""
        demo_emails = [person.email for person in EVERYONE]
        if get_user_model().objects.exclude(email__in=demo_emails).exists():
            raise CommandError(
                "This database has accounts that are not demo accounts and DEBUG is off: it "
                "looks like a real site. seed_demo creates a superuser with a published "
                "password, so it stops here. Use --force if you really mean it."
            )

    def report(self, created):
        write = self.stdout.write
        if created:
            write(self.style.SUCCESS("Kring demo data created:"))
            for label, count in created.items():
                write(f"  {count:4d} {label}")
        else:
            write(self.style.SUCCESS("Kring demo data was already there; nothing added."))
        write("In the database now: " + ", ".join(f"{n} {label}" for label, n in totals()) + ".")
        write("")
        write(f"Open {SITE_URL} and log in with one of these accounts.")
        write(f"Every demo account has the password: {DEMO_PASSWORD}")
        for email, role in demo_logins():
            write(f"  {email:<40} {role}")
        write(f"Site administration: {SITE_URL}beheer/")


def totals():
    return [
        ("users", get_user_model().objects.count()),
        ("groups", Group.objects.count()),
        ("threads", Thread.objects.count()),
        ("posts", Post.objects.count()),
        ("ideas", Idea.objects.count()),
        ("votes", Vote.objects.count()),
    ]


def demo_logins():
    """(email, what they can do) for the accounts worth trying first."""
    moderates = [g.name for g in GROUPS if MODERATOR_LOGIN in g.moderators]
    member_of = [g.name for g in GROUPS if MEMBER_LOGIN in g.members]
    return [
        (ADMIN.email, "administrator (staff and superuser)"),
        (f"{LEADER_LOGIN}@{DOMAIN}", "leadership: reviews ideas in every group at /leiding/"),
        (f"{MODERATOR_LOGIN}@{DOMAIN}", f"moderator of {' and '.join(moderates)}"),
        (f"{MEMBER_LOGIN}@{DOMAIN}", f"member of {len(member_of)} groups"),
    ]
