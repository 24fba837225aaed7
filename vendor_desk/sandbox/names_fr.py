"""Name, address and catalogue pools of the French generated shop (``locale="fr"``).

Plain data only: an upcycling workshop in Lyon (the demo vendor) and a few other French shops,
customers mostly in France (real postcodes and cities) with some in Belgium, Switzerland and
Germany, Mondial Relay relay points near them, the French carriers' shipping methods as their
WooCommerce plugins book them on an order's shipping line, and the notes shoppers and vendors
write — in French.
"""

from __future__ import annotations

from dataclasses import dataclass

from vendor_desk.sandbox.names import PersonSeed, ProductSeed, VendorSeed

#: The marketplace's name (WordPress' ``blogname``).
SITE_NAME = "Le Marché des Créateurs"


def _person(
    first: str,
    last: str,
    email: str,
    address_1: str,
    postcode: str,
    city: str,
    country: str = "FR",
    *,
    company: str = "",
    address_2: str = "",
    phone: str = "",
) -> PersonSeed:
    # ``script`` groups the customers by country for the scripted showcase orders.
    return PersonSeed(
        first,
        last,
        country.lower(),
        email,
        company,
        address_1,
        address_2,
        city,
        "",
        postcode,
        country,
        phone,
    )


#: The customers: most in France, a few in Belgium, Switzerland and Germany.
PEOPLE: tuple[PersonSeed, ...] = (
    _person(
        "Élodie",
        "Marchand",
        "elodie.marchand",
        "27 rue de la Roquette",
        "75011",
        "Paris",
        address_2="Bâtiment B, 3ᵉ étage, porte gauche",
        phone="06 12 34 56 78",
    ),
    _person("Thomas", "Lefèvre", "thomas.lefevre", "8 place Bellecour", "69002", "Lyon"),
    _person(
        "Chloé",
        "Dubois",
        "chloe.dubois",
        "15 cours Julien",
        "13006",
        "Marseille",
        phone="07 81 22 45 90",
    ),
    _person(
        "Nicolas",
        "Garnier",
        "nicolas.garnier",
        "42 rue Sainte-Catherine",
        "33000",
        "Bordeaux",
        phone="06 45 78 12 03",
    ),
    _person("Manon", "Roussel", "manon.roussel", "3 rue du Taur", "31000", "Toulouse"),
    _person(
        "Julien",
        "Faure",
        "julien.faure",
        "11 quai de la Fosse",
        "44000",
        "Nantes",
        company="Faure Rénovation SARL",
        phone="02 40 12 34 56",
    ),
    _person(
        "Camille",
        "Bonnet",
        "camille.bonnet",
        "5 rue des Orfèvres",
        "67000",
        "Strasbourg",
        phone="06 98 76 54 32",
    ),
    _person("Hugo", "Mercier", "hugo.mercier", "19 rue Esquermoise", "59800", "Lille"),
    _person(
        "Léa",
        "Chevalier",
        "lea.chevalier",
        "64 boulevard de la Liberté",
        "35000",
        "Rennes",
        phone="07 60 11 22 33",
    ),
    _person(
        "Antoine",
        "Girard",
        "antoine.girard",
        "2 rue de la Loge",
        "34000",
        "Montpellier",
    ),
    _person(
        "Sophie",
        "Morel",
        "sophie.morel",
        "9 rue Saint-François-de-Paule",
        "06300",
        "Nice",
        phone="06 11 02 03 04",
    ),
    _person(
        "Mathilde",
        "Rousseau-Delacroix",
        "mathilde.rousseau",
        "Lieu-dit La Combe aux Loups, chemin communal n° 12 (après le lavoir, portail vert)",
        "24220",
        "Saint-Cyprien",
        company="Gîte & Chambres d'hôtes « Les Tilleuls de la Combe »",
        address_2="Résidence secondaire — déposer le colis sous l'auvent de la grange",
        phone="05 53 29 00 00",
    ),
    _person("Pierre", "Lambert", "pierre.lambert", "7 rue des Chaudronniers", "21000", "Dijon"),
    _person(
        "Inès",
        "Benali",
        "ines.benali",
        "23 rue de la Charité",
        "69002",
        "Lyon",
        phone="06 72 18 44 09",
    ),
    _person("Lucas", "Fontaine", "lucas.fontaine", "31 rue d'Alsace", "38000", "Grenoble"),
    _person(
        "Zoé",
        "Perrin",
        "zoe.perrin",
        "14 rue Kléber",
        "37000",
        "Tours",
        phone="06 33 44 55 66",
    ),
    # ------------------------------------------------------------------- Belgium
    _person(
        "Amélie",
        "Peeters",
        "amelie.peeters",
        "Rue du Marché aux Herbes 61",
        "1000",
        "Bruxelles",
        "BE",
        phone="+32 2 512 34 56",
    ),
    _person(
        "Maxime",
        "Dupont",
        "maxime.dupont",
        "Place Saint-Lambert 18",
        "4000",
        "Liège",
        "BE",
    ),
    # --------------------------------------------------------------- Switzerland
    _person(
        "Aurélie",
        "Favre",
        "aurelie.favre",
        "Rue du Rhône 48",
        "1204",
        "Genève",
        "CH",
        phone="+41 22 310 12 34",
    ),
    _person("Loïc", "Berset", "loic.berset", "Avenue de la Gare 12", "1003", "Lausanne", "CH"),
    # ------------------------------------------------------------------- Germany
    _person(
        "Jürgen",
        "Weiß",
        "juergen.weiss",
        "Kaiserstraße 27",
        "66111",
        "Saarbrücken",
        "DE",
        phone="+49 681 123 456",
    ),
)

#: VAT of the customers' countries (rate code, label, percent); Switzerland pays none.
TAX_RATES: dict[str, tuple[str, str, str]] = {
    "FR": ("FR-TVA-1", "TVA", "20"),
    "BE": ("BE-TVA-1", "TVA", "21"),
    "DE": ("DE-MWST-1", "MwSt.", "19"),
}


@dataclass(frozen=True)
class RelayPoint:
    """A Mondial Relay relay point ("Point Relais®") a customer picks at checkout."""

    id: str
    name: str
    address: str
    postcode: str
    city: str
    country: str


#: The relay point nearest each customer's postcode (France and Belgium: Mondial Relay does
#: not deliver to relay points in Switzerland or Germany from France).
RELAY_POINTS: dict[str, RelayPoint] = {
    point.postcode: point
    for point in (
        RelayPoint(
            "075123", "Tabac Presse de la Roquette", "52 rue de la Roquette", "75011", "Paris", "FR"
        ),
        RelayPoint("069201", "Carrefour City Bellecour", "1 rue Gasparin", "69002", "Lyon", "FR"),
        RelayPoint("013318", "Le Relais du Cours", "38 cours Julien", "13006", "Marseille", "FR"),
        RelayPoint(
            "033145",
            "Pressing Sainte-Catherine",
            "102 rue Sainte-Catherine",
            "33000",
            "Bordeaux",
            "FR",
        ),
        RelayPoint("031077", "Librairie du Taur", "20 rue du Taur", "31000", "Toulouse", "FR"),
        RelayPoint(
            "044090", "Cordonnerie de la Fosse", "4 rue de la Fosse", "44000", "Nantes", "FR"
        ),
        RelayPoint(
            "067052",
            "Épicerie Fine des Orfèvres",
            "12 rue des Orfèvres",
            "67000",
            "Strasbourg",
            "FR",
        ),
        RelayPoint(
            "059811", "Bar-Tabac L'Esquermoise", "40 rue Esquermoise", "59800", "Lille", "FR"
        ),
        RelayPoint(
            "035066", "Fleuriste Liberté", "70 boulevard de la Liberté", "35000", "Rennes", "FR"
        ),
        RelayPoint(
            "034120", "Presse de la Comédie", "5 place de la Comédie", "34000", "Montpellier", "FR"
        ),
        RelayPoint("006233", "Tabac du Cours Saleya", "3 cours Saleya", "06300", "Nice", "FR"),
        RelayPoint(
            "024017",
            "Proxi Saint-Cyprien",
            "Place Charles de Gaulle",
            "24220",
            "Saint-Cyprien",
            "FR",
        ),
        RelayPoint("021058", "Maison de la Presse Darcy", "1 place Darcy", "21000", "Dijon", "FR"),
        RelayPoint(
            "038044", "Tabac Presse Victor Hugo", "2 place Victor Hugo", "38000", "Grenoble", "FR"
        ),
        RelayPoint("037029", "Le Kléber — Tabac Loto", "30 rue Kléber", "37000", "Tours", "FR"),
        RelayPoint(
            "B10342", "Night Shop Grand-Place", "Rue au Beurre 12", "1000", "Bruxelles", "BE"
        ),
        RelayPoint("B40218", "Librairie Pax", "Place Cockerill 4", "4000", "Liège", "BE"),
    )
}


@dataclass(frozen=True)
class FrenchShipping:
    """A French carrier's shipping method as its WooCommerce plugin books it on a shipping
    line: method id, title and zone instance, at home and abroad, and its cost."""

    carrier: str  # colissimo, mondial_relay, chronopost
    method_id: str
    title: str
    instance_id: str
    cost: str


#: (carrier, domestic?) -> the method: France is its own zone; the rest is "Europe".
SHIPPING: dict[tuple[str, bool], FrenchShipping] = {
    ("colissimo", True): FrenchShipping(
        "colissimo", "lpc_nosign", "Colissimo sans signature", "4", "6.90"
    ),
    ("colissimo", False): FrenchShipping(
        "colissimo", "lpc_expert", "Colissimo International", "7", "16.50"
    ),
    ("mondial_relay", True): FrenchShipping(
        "mondial_relay",
        "mondial_relay_24R",
        "Mondial Relay – Livraison en Point Relais",
        "5",
        "4.50",
    ),
    ("mondial_relay", False): FrenchShipping(
        "mondial_relay",
        "mondial_relay_24R",
        "Mondial Relay – Livraison en Point Relais",
        "8",
        "5.90",
    ),
    ("chronopost", True): FrenchShipping(
        "chronopost", "chrono13", "Chronopost – Livraison express avant 13h", "6", "14.90"
    ),
    ("chronopost", False): FrenchShipping(
        "chronopost", "chronoexpress", "Chronopost Express International", "9", "29.90"
    ),
}

#: The carriers' tracking pages.
TRACKING_URLS: dict[str, str] = {
    "colissimo": "https://www.laposte.fr/outils/suivre-vos-envois?code={code}",
    "mondial_relay": (
        "https://www.mondialrelay.fr/suivi-de-colis/?numeroExpedition={code}&codePostal={postcode}"
    ),
    "chronopost": "https://www.chronopost.fr/tracking-no-cms/suivi-page?listeNumerosLT={code}",
}

#: What French WooCommerce names the payment gateways (checkout titles).
PAYMENT_TITLES: dict[str, str] = {
    "cod": "Paiement à la livraison",
    "bacs": "Virement bancaire",
    "stripe": "Carte bancaire (Stripe)",
    "paypal": "PayPal",
}

#: Customer checkout notes, as French shoppers type them (some with markup and "&").
CUSTOMER_NOTES: tuple[str, ...] = (
    "Merci de faire un paquet cadeau, c'est pour un anniversaire !",
    "Sonnez deux fois, l'interphone est <b>capricieux</b> & le code est le 4B12.",
    "En cas d'absence, laisser le colis chez la gardienne (loge au fond de la cour).",
    "C'est une surprise : ne pas mettre « Atelier Seconde Vie » sur le colis, svp.",
    "Livraison après 18 h uniquement, je travaille en journée.",
    "Pouvez-vous glisser un petit mot : « Joyeux Noël Mamie » ? Merci !",
    "Bitte beim Nachbarn abgeben, falls niemand da ist.",
    "Pas de facture dans le colis, c'est un cadeau.",
)

#: Texts vendors write as order notes (private or to the customer).
VENDOR_NOTES_PRIVATE: tuple[str, ...] = (
    "Emballé par Margaux, étagère B2.",
    "La cliente a appelé : elle préfère le bleu si le jaune est épuisé.",
    "Vérifier la gravure avant l'envoi.",
    "Réassort reçu mardi, stock mis à jour.",
)
VENDOR_NOTES_CUSTOMER: tuple[str, ...] = (
    "Votre colis part demain matin. Merci pour votre commande !",
    "Merci ! Nous avons ajouté un petit échantillon & une carte écrite à la main.",
    "Désolés pour le retard : l'article est de retour en stock et part aujourd'hui.",
    "Bonne réception, et n'hésitez pas à nous envoyer une photo de votre intérieur !",
)

#: Reasons given for refunds.
REFUND_REASONS: tuple[str, ...] = (
    "Article arrivé endommagé",
    "Mauvaise taille livrée",
    "Le client a changé d'avis",
    "Colis perdu pendant le transport",
    "Commande passée en double",
)

_TAILLES = tuple((("Taille", s),) for s in ("S", "M", "L"))

#: The shops of the French marketplace. The first, an upcycling workshop, is the demo vendor.
VENDORS: tuple[VendorSeed, ...] = (
    VendorSeed(
        "demo_vendor",
        "Camille",
        "Lefèvre",
        "Atelier Seconde Vie",
        "atelier-seconde-vie",
        "+33 4 78 28 41 16",
        "14 rue des Tables Claudiennes",
        "Lyon",
        "69001",
        "FR",
        "",
        "bank_transfer",
        "Atelier d'upcycling lyonnais : lampes, sacs et petit mobilier qui reprennent du service.",
        (
            ProductSeed("Lampe bocal en verre recyclé", "ASV-LAMPE", "39.00", weight="0.8"),
            ProductSeed(
                "Sac cabas en bâche publicitaire",
                "ASV-CABAS",
                "45.00",
                weight="0.5",
                variations=tuple((("Couleur", c),) for c in ("Bleu", "Rouge", "Jaune")),
            ),
            ProductSeed("Trousse en chambre à air", "ASV-TROUSSE", "18.50", weight="0.1"),
            ProductSeed("Tabouret en bois de palette", "ASV-TABOURET", "89.00", weight="4.5"),
            ProductSeed("Horloge en vinyle 33 tours", "ASV-HORLOGE", "29.90", weight="0.4"),
            ProductSeed(
                "Tablier en jean recyclé", "ASV-TABLIER", "34.00", weight="0.3", variations=_TAILLES
            ),
            ProductSeed(
                "Guide PDF « Relooker ses meubles »",
                "ASV-GUIDE",
                "9.90",
                virtual=True,
                downloadable=True,
                managed_stock=False,
                weight="",
            ),
            ProductSeed(
                "Carte cadeau Atelier",
                "ASV-CADEAU",
                "25.00",
                virtual=True,
                managed_stock=False,
                weight="",
            ),
        ),
    ),
    VendorSeed(
        "vendor_savon",
        "Inès",
        "Bensaïd",
        "Savonnerie des Calanques",
        "savonnerie-des-calanques",
        "+33 4 91 54 12 30",
        "21 rue Sainte",
        "Marseille",
        "13001",
        "FR",
        "",
        "bank_transfer",
        "Savons saponifiés à froid, faits main à Marseille.",
        (
            ProductSeed(
                "Savon de Marseille à l'huile d'olive 300 g", "SC-SAVON", "6.50", weight="0.3"
            ),
            ProductSeed("Coffret découverte 4 savons", "SC-COFFRET", "24.00", weight="0.5"),
            ProductSeed("Shampoing solide au romarin", "SC-SHAMPOING", "9.80", weight="0.1"),
            ProductSeed("Porte-savon en bois d'olivier", "SC-PORTE", "12.00", weight="0.2"),
        ),
    ),
    VendorSeed(
        "vendor_confiture",
        "Odette",
        "Morin",
        "Les Confitures d'Odette",
        "confitures-odette",
        "+33 3 80 30 12 45",
        "5 rue Musette",
        "Dijon",
        "21000",
        "FR",
        "",
        "bank_transfer",
        "Confitures et pâtes de fruits de Bourgogne, cuites au chaudron.",
        (
            ProductSeed("Confiture de cassis 250 g", "CO-CASSIS", "5.90", weight="0.35"),
            ProductSeed("Pâtes de fruits assorties", "CO-PATES", "8.50", weight="0.25"),
            ProductSeed(
                "Confiture extra",
                "CO-EXTRA",
                "6.40",
                weight="0.35",
                variations=tuple((("Parfum", p),) for p in ("Fraise", "Abricot", "Mirabelle")),
            ),
            ProductSeed("Panier gourmand", "CO-PANIER", "39.00", weight="2.2"),
        ),
    ),
    VendorSeed(
        "vendor_editions",
        "Bastien",
        "Roux",
        "Éditions du Marque-Page",
        "editions-marque-page",
        "",
        "18 rue de la République",
        "Lyon",
        "69002",
        "FR",
        "",
        "paypal",
        "Livres numériques et beaux livres sur le fait-main.",
        (
            ProductSeed(
                "Le Petit Manuel du réemploi (e-book)",
                "EM-MANUEL",
                "12.99",
                virtual=True,
                downloadable=True,
                managed_stock=False,
                weight="",
            ),
            ProductSeed(
                "Carte cadeau", "EM-CADEAU", "30.00", virtual=True, managed_stock=False, weight=""
            ),
            ProductSeed("Atelier récup' (livre broché)", "EM-BROCHE", "22.00", weight="0.6"),
        ),
    ),
)
