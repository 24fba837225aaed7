"""Name, address and catalogue pools for the generated demo marketplace.

Plain data only. The pools are deliberately international: Latin with diacritics, Greek,
Cyrillic, Chinese, Japanese, Korean and Arabic names and addresses, very long company names and
street lines, phones present or absent — the things a vendor's packing slips and the desktop
app's tables must cope with.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PersonSeed:
    """A customer template: name, script family and a full postal address."""

    first_name: str
    last_name: str
    script: str  # latin, latin-ext, greek, cyrillic, cjk-zh, cjk-ja, cjk-ko, arabic
    email_local: str
    company: str
    address_1: str
    address_2: str
    city: str
    state: str  # state *name*, as the WCFM REST add-on renders it ("" where none)
    postcode: str
    country: str  # ISO 3166-1 alpha-2
    phone: str  # "" = none given


#: The customers of the generated site, one template each (the generator repeats the pool with
#: numbered e-mail addresses when it needs more customers than there are templates).
PEOPLE: tuple[PersonSeed, ...] = (
    # ---------------------------------------------------------------- latin-ext
    PersonSeed(
        "Zoë",
        "Ŧhéâtre",
        "latin-ext",
        "zoe.theatre",
        "",
        "12 Rue de l'Échaudé",
        "Bâtiment B, 3ᵉ étage",
        "Paris",
        "",
        "75006",
        "FR",
        "+33 1 42 68 53 00",
    ),
    PersonSeed(
        "Łukasz",
        "Żółć",
        "latin-ext",
        "lukasz.zolc",
        "",
        "ul. Świętokrzyska 14/27",
        "",
        "Łódź",
        "Łódzkie",
        "90-001",
        "PL",
        "+48 42 631 22 17",
    ),
    PersonSeed(
        "Ørjan",
        "Ødegård",
        "latin-ext",
        "orjan.odegard",
        "",
        "Øvre Ålesundsgate 4",
        "",
        "Bergen",
        "",
        "5003",
        "NO",
        "",
    ),
    PersonSeed(
        "Zsófia",
        "Győri",
        "latin-ext",
        "zsofia.gyori",
        "",
        "Váci utca 47/B",
        "II. emelet 5.",
        "Budapest",
        "",
        "1056",
        "HU",
        "+36 1 266 0200",
    ),
    PersonSeed(
        "Jiří",
        "Dvořák",
        "latin-ext",
        "jiri.dvorak",
        "Dvořák & Syn s.r.o.",
        "Náměstí Míru 820/9",
        "",
        "Praha 2",
        "",
        "120 00",
        "CZ",
        "+420 222 513 111",
    ),
    PersonSeed(
        "Gülşen",
        "Çağlar",
        "latin-ext",
        "gulsen.caglar",
        "",
        "İstiklal Caddesi No: 101",
        "Beyoğlu",
        "İstanbul",
        "İstanbul",
        "34433",
        "TR",
        "",
    ),
    PersonSeed(
        "Þóra",
        "Jónsdóttir",
        "latin-ext",
        "thora.jonsdottir",
        "",
        "Laugavegur 28",
        "",
        "Reykjavík",
        "",
        "101",
        "IS",
        "+354 551 2345",
    ),
    PersonSeed(
        "Siobhán",
        "Ó Súilleabháin",
        "latin-ext",
        "siobhan.osuilleabhain",
        "",
        "14 Sráid an Chaisleáin",
        "",
        "Gaillimh",
        "Galway",
        "H91 E2K4",
        "IE",
        "+353 91 563 081",
    ),
    PersonSeed(
        "Renée",
        "Müller-Lüdenscheidt",
        "latin-ext",
        "renee.mueller",
        "",
        "Königsallee 92a",
        "",
        "Düsseldorf",
        "",
        "40212",
        "DE",
        "+49 211 135 790",
    ),
    PersonSeed(
        "Björn",
        "Ågren",
        "latin-ext",
        "bjorn.agren",
        "",
        "Götgatan 14",
        "",
        "Stockholm",
        "",
        "118 46",
        "SE",
        "",
    ),
    PersonSeed(
        "Nguyễn",
        "Thị Hương",
        "latin-ext",
        "huong.nguyen",
        "",
        "25 Hàng Bài",
        "Phường Tràng Tiền",
        "Hà Nội",
        "",
        "100000",
        "VN",
        "+84 24 3826 5555",
    ),
    PersonSeed(
        "João",
        "Gonçalves",
        "latin-ext",
        "joao.goncalves",
        "",
        "Rua Augusta 274, 3º Esq.",
        "",
        "Lisboa",
        "Lisboa",
        "1100-053",
        "PT",
        "+351 21 342 7000",
    ),
    # -------------------------------------------------------------------- greek
    PersonSeed(
        "Γιώργος",
        "Παπαδόπουλος",
        "greek",
        "g.papadopoulos",
        "",
        "Οδός Ερμού 25",
        "3ος όροφος",
        "Αθήνα",
        "Αττική",
        "105 63",
        "GR",
        "+30 210 323 4567",
    ),
    PersonSeed(
        "Ελένη",
        "Κωνσταντίνου",
        "greek",
        "eleni.k",
        "",
        "Λεωφόρος Νίκης 12",
        "",
        "Θεσσαλονίκη",
        "Κεντρική Μακεδονία",
        "546 23",
        "GR",
        "",
    ),
    PersonSeed(
        "Νίκος",
        "Αλεξίου",
        "greek",
        "nikos.alexiou",
        "Αλεξίου Ο.Ε.",
        "Πλατεία Συντάγματος 3",
        "",
        "Ναύπλιο",
        "Πελοπόννησος",
        "211 00",
        "GR",
        "+30 27520 21234",
    ),
    # ----------------------------------------------------------------- cyrillic
    PersonSeed(
        "Иван",
        "Петров",
        "cyrillic",
        "ivan.petrov",
        "",
        "ул. Тверская, д. 7, кв. 12",
        "",
        "Москва",
        "Москва",
        "125009",
        "RU",
        "+7 495 629 1234",
    ),
    PersonSeed(
        "Мария",
        "Смирнова",
        "cyrillic",
        "maria.smirnova",
        "",
        "Невский проспект, 28",
        "",
        "Санкт-Петербург",
        "Санкт-Петербург",
        "191186",
        "RU",
        "",
    ),
    PersonSeed(
        "Олена",
        "Шевченко",
        "cyrillic",
        "olena.shevchenko",
        "",
        "вул. Хрещатик, 22",
        "офіс 5",
        "Київ",
        "",
        "01001",
        "UA",
        "+380 44 234 5678",
    ),
    PersonSeed(
        "Димитър",
        "Иванов",
        "cyrillic",
        "dimitar.ivanov",
        "",
        "бул. Витоша 45",
        "",
        "София",
        "София-град",
        "1000",
        "BG",
        "+359 2 987 6543",
    ),
    # --------------------------------------------------------------------- cjk
    PersonSeed(
        "伟",
        "王",
        "cjk-zh",
        "wang.wei",
        "",
        "朝阳区建国路88号",
        "SOHO现代城A座1201",
        "北京市",
        "北京",
        "100022",
        "CN",
        "+86 10 8580 1234",
    ),
    PersonSeed(
        "娜",
        "李",
        "cjk-zh",
        "li.na",
        "",
        "浦东新区世纪大道100号",
        "",
        "上海市",
        "上海",
        "200120",
        "CN",
        "",
    ),
    PersonSeed(
        "太郎",
        "山田",
        "cjk-ja",
        "taro.yamada",
        "",
        "神南1-2-3",
        "渋谷ビル5F",
        "渋谷区",
        "東京都",
        "150-0041",
        "JP",
        "+81 3-1234-5678",
    ),
    PersonSeed(
        "花子",
        "佐藤",
        "cjk-ja",
        "hanako.sato",
        "株式会社さとう商店",
        "中京区河原町通三条上る",
        "",
        "京都市",
        "京都府",
        "604-8004",
        "JP",
        "+81 75-123-4567",
    ),
    PersonSeed(
        "민준",
        "김",
        "cjk-ko",
        "minjun.kim",
        "",
        "강남구 테헤란로 152",
        "12층",
        "서울특별시",
        "서울특별시",
        "06236",
        "KR",
        "+82 2-555-1234",
    ),
    PersonSeed(
        "서연",
        "이",
        "cjk-ko",
        "seoyeon.lee",
        "",
        "해운대구 해운대해변로 264",
        "",
        "부산광역시",
        "부산광역시",
        "48099",
        "KR",
        "",
    ),
    # ------------------------------------------------------------------ arabic
    PersonSeed(
        "محمد",
        "العلي",
        "arabic",
        "m.alali",
        "",
        "طريق الملك فهد، حي العليا",
        "مبنى 7، شقة 12",
        "الرياض",
        "منطقة الرياض",
        "12214",
        "SA",
        "+966 11 465 1234",
    ),
    PersonSeed(
        "فاطمة",
        "الزهراء",
        "arabic",
        "fatima.zahra",
        "",
        "١٥ شارع التحرير",
        "",
        "القاهرة",
        "القاهرة",
        "11511",
        "EG",
        "",
    ),
    PersonSeed(
        "أحمد",
        "حسن",
        "arabic",
        "ahmed.hassan",
        "",
        "شارع الشيخ زايد، برج الإمارات",
        "الطابق 20",
        "دبي",
        "دبي",
        "00000",
        "AE",
        "+971 4 330 1234",
    ),
    # ---------------------------------------------------- plain latin, long lines
    PersonSeed(
        "Carol",
        "Buyer",
        "latin",
        "carol.buyer",
        "",
        "3 Buyer Rd",
        "",
        "Localhost",
        "California",
        "94002",
        "US",
        "555-0199",
    ),
    PersonSeed(
        "Marcus",
        "Whitfield",
        "latin",
        "marcus.whitfield",
        "",
        "1600 Amphitheatre Parkway",
        "Apt 4B",
        "Mountain View",
        "California",
        "94043",
        "US",
        "+1 650-253-0000",
    ),
    PersonSeed(
        "Priya",
        "Raman",
        "latin",
        "priya.raman",
        "",
        "221B Baker Street",
        "",
        "London",
        "",
        "NW1 6XE",
        "GB",
        "+44 20 7224 3688",
    ),
    PersonSeed(
        "Hubert",
        "Blaine Wolfeschlegelsteinhausenbergerdorff",
        "latin-ext",
        "hubert.wolfe",
        "Internationale Handelsgesellschaft für Feinmechanik und Präzisionsoptik mbH & Co. KG",
        "Industriestraße 117–119, Gewerbepark Nord, Hallenkomplex C, Anlieferung über Tor 4",
        "z. Hd. Wareneingang / Qualitätssicherung, Gebäude 12, Raum 3.042",
        "Frankfurt am Main",
        "",
        "60326",
        "DE",
        "+49 69 9876 54321",
    ),
    PersonSeed(
        "Maximiliana",
        "Featherstonehaugh-Cholmondeley",
        "latin",
        "max.featherstonehaugh",
        "The Extraordinarily Long-Named Antique Furniture Restoration & Upholstery Company Ltd",
        "Flat 17, The Old Mill House, 1234 Llanfairpwllgwyngyll Road",
        "Unit 5, Rear Courtyard Entrance (ring bell twice, parcels to the side gate)",
        "Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch",
        "Isle of Anglesey",
        "LL61 5UJ",
        "GB",
        "",
    ),
    PersonSeed(
        "Dana",
        "O'Neil",
        "latin",
        "dana.oneil",
        "O'Neil & Daughters <Wholesale>",
        "77 Sunset Blvd",
        "",
        "Los Angeles",
        "California",
        "90028",
        "US",
        "+1 323-555-0147",
    ),
    PersonSeed(
        "Luis",
        "Fernández",
        "latin-ext",
        "luis.fernandez",
        "",
        "Calle de Alcalá 48",
        "5º izquierda",
        "Madrid",
        "Madrid",
        "28014",
        "ES",
        "+34 915 21 14 00",
    ),
    PersonSeed(
        "Amelia",
        "Nakamura-Smith",
        "latin",
        "amelia.ns",
        "",
        "88 Queen Street",
        "",
        "Auckland",
        "Auckland",
        "1010",
        "NZ",
        "",
    ),
)

#: Countries whose customers pay a sales tax / VAT line in the generated data (rate code,
#: label, percent). Others pay none.
TAX_RATES: dict[str, tuple[str, str, str]] = {
    "DE": ("DE-MWST-1", "MwSt.", "19"),
    "FR": ("FR-TVA-1", "TVA", "20"),
    "GR": ("GR-ΦΠΑ-1", "ΦΠΑ", "24"),
    "NO": ("NO-MVA-1", "MVA", "25"),
}

#: Parcel carriers of the generated data: (name, tracking URL template, code prefix).
CARRIERS: tuple[tuple[str, str, str], ...] = (
    ("UPS", "https://www.ups.com/track?loc=en_US&tracknum={code}", "1Z999AA1"),
    ("DHL", "https://www.dhl.com/en/express/tracking.html?AWB={code}&brand=DHL", "JD0146"),
    ("USPS", "https://tools.usps.com/go/TrackConfirmAction?tLabels={code}", "9400111"),
    (
        "Japan Post",
        "https://trackings.post.japanpost.jp/services/srv/search/?requestNo1={code}",
        "EJ",
    ),
    ("ELTA Courier", "https://www.elta-courier.gr/search?br={code}", "GR"),
)

#: Customer checkout notes (some with markup and ampersands, as customers type them).
CUSTOMER_NOTES: tuple[str, ...] = (
    "Please gift wrap",
    "Leave at the <b>back door</b> & ring twice",
    "Bitte beim Nachbarn (Müller, 2. OG) abgeben, falls niemand da ist.",
    "Παρακαλώ καλέστε πριν την παράδοση.",
    "不在の場合は宅配ボックスへお願いします。",
    "Gift for my mum — no invoice in the box, please!",
    "Deliver after 5pm <i>only</i> & not on Sundays",
    "Позвоните за час до доставки, пожалуйста.",
    "请放在门卫处，谢谢！",
    "الرجاء الاتصال قبل التوصيل",
    "Fragile!!! <script>alert('x')</script> handle with care",
    "It's a surprise - don't put \"Harbor & Pine\" on the parcel",
)

#: Texts vendors write as order notes (private or to the customer).
VENDOR_NOTES_PRIVATE: tuple[str, ...] = (
    "Packed by Alex, shelf B2",
    "Customer called: wants the blue one if the green is out of stock",
    "Double-check the engraving text before shipping",
    "Restocked from the Tuesday delivery",
)
VENDOR_NOTES_CUSTOMER: tuple[str, ...] = (
    "Your parcel leaves tomorrow morning.",
    "Thank you! We added a small sample to your order & a handwritten card.",
    "Sorry for the delay — the item is back in stock and ships today.",
    "Ευχαριστούμε για την παραγγελία σας!",
)

#: Reasons customers give for refunds (the vendor types them into the refund request).
REFUND_REASONS: tuple[str, ...] = (
    "Item arrived damaged",
    "Wrong size delivered",
    "Customer changed their mind",
    "Parcel lost in transit",
    "Duplicate order",
)


@dataclass(frozen=True)
class ProductSeed:
    """A catalogue entry: ``variations`` lists attribute dicts for a variable product."""

    name: str
    sku: str
    price: str
    virtual: bool = False
    downloadable: bool = False
    managed_stock: bool = True
    weight: str = "1"
    variations: tuple[tuple[tuple[str, str], ...], ...] = ()


@dataclass(frozen=True)
class VendorSeed:
    login: str
    first_name: str
    last_name: str
    store_name: str
    store_slug: str
    phone: str
    street_1: str
    city: str
    zip: str
    country: str
    state: str
    payment_method: str
    description: str
    products: tuple[ProductSeed, ...]


_SIZES = tuple((("Size", s),) for s in ("S", "M", "L", "XL"))

#: The vendors of the generated site. The first is the demo vendor.
VENDORS: tuple[VendorSeed, ...] = (
    VendorSeed(
        "demo_vendor",
        "Dana",
        "Demo",
        "Harbor & Pine Goods",
        "harbor-pine-goods",
        "+1 503-555-0142",
        "1200 NW Naito Pkwy",
        "Portland",
        "97209",
        "US",
        "OR",
        "paypal",
        "Handmade homewares from the Pacific Northwest — mugs, tees, candles & more.",
        (
            ProductSeed("Harbor Mug", "HP-MUG", "14.50"),
            ProductSeed("Pine Tee", "HP-TEE", "26.00", variations=_SIZES),
            ProductSeed("Cedar Candle", "HP-CANDLE", "18.75"),
            ProductSeed("Wool Throw Blanket", "HP-THROW", "89.00", weight="2.4"),
            ProductSeed(
                "Field Guide E-Book",
                "HP-EBOOK",
                "9.99",
                virtual=True,
                downloadable=True,
                managed_stock=False,
                weight="",
            ),
            ProductSeed(
                "Gift Card", "HP-GIFT", "25.00", virtual=True, managed_stock=False, weight=""
            ),
            ProductSeed(
                "Rain Jacket",
                "HP-JACKET",
                "120.00",
                weight="0.9",
                variations=tuple(
                    (("Color", c), ("Size", s)) for c in ("Moss", "Slate") for s in ("M", "L")
                ),
            ),
            ProductSeed(
                "Enamel Pin (Lighthouse)", "HP-PIN", "6.00", managed_stock=False, weight="0.05"
            ),
        ),
    ),
    VendorSeed(
        "vendor_knit",
        "Ørjan",
        "Ødegård",
        "Ødegård Ull & Strikk",
        "odegard-ull-strikk",
        "+47 55 30 12 34",
        "Bryggen 15",
        "Bergen",
        "5003",
        "NO",
        "",
        "bank_transfer",
        "Norsk ull, strikket for hånd.",
        (
            ProductSeed("Lusekofte Sweater", "OD-LUSE", "149.00", weight="0.8", variations=_SIZES),
            ProductSeed(
                "Wool Socks",
                "OD-SOCK",
                "19.90",
                weight="0.1",
                variations=tuple((("Color", c),) for c in ("Grå", "Rød", "Blå")),
            ),
            ProductSeed(
                "Knitting Pattern (PDF)",
                "OD-PATTERN",
                "7.50",
                virtual=True,
                downloadable=True,
                managed_stock=False,
                weight="",
            ),
            ProductSeed("Ullgarn 100 g", "OD-YARN", "8.20", weight="0.1"),
        ),
    ),
    VendorSeed(
        "vendor_paper",
        "由紀",
        "紙屋",
        "紙と文具 Kamiya",
        "kamiya-stationery",
        "+81 75-211-0000",
        "中京区寺町通二条上る",
        "京都市",
        "604-0915",
        "JP",
        "JP26",
        "bank_transfer",
        "京都の手漉き和紙と文房具。",
        (
            ProductSeed("和紙ノート A5", "KM-NOTE-A5", "12.00", weight="0.3"),
            ProductSeed("Washi Tape Set", "KM-TAPE", "9.50", weight="0.1"),
            ProductSeed("万年筆 Fountain Pen", "KM-PEN", "48.00", weight="0.05"),
            ProductSeed(
                "Letter Paper",
                "KM-LETTER",
                "6.80",
                weight="0.2",
                variations=tuple((("Pattern", p),) for p in ("桜 Sakura", "紅葉 Momiji")),
            ),
        ),
    ),
    VendorSeed(
        "vendor_ceramics",
        "Μαρία",
        "Νικολάου",
        "Κεραμική Αιγαίου",
        "aegean-ceramics",
        "+30 2310 123456",
        "Τσιμισκή 43",
        "Θεσσαλονίκη",
        "546 23",
        "GR",
        "B",
        "bank_transfer",
        "Χειροποίητα κεραμικά από το Αιγαίο.",
        (
            ProductSeed("Κούπα Αιγαίο (Mug)", "AC-MUG", "16.00", weight="0.4"),
            ProductSeed("Serving Bowl", "AC-BOWL", "42.00", weight="1.2"),
            ProductSeed("Olive Oil Jug", "AC-JUG", "29.50", weight="0.9"),
            ProductSeed(
                "Glaze Workshop Voucher",
                "AC-VOUCHER",
                "60.00",
                virtual=True,
                managed_stock=False,
                weight="",
            ),
        ),
    ),
    VendorSeed(
        "vendor_books",
        "Sam",
        "Reader",
        "Digital Shelf Books",
        "digital-shelf-books",
        "",
        "500 Market St",
        "San Francisco",
        "94105",
        "US",
        "CA",
        "paypal",
        "E-books and audiobooks, delivered instantly.",
        (
            ProductSeed(
                "The Packing Table (E-Book)",
                "DS-PACK",
                "12.99",
                virtual=True,
                downloadable=True,
                managed_stock=False,
                weight="",
            ),
            ProductSeed(
                "Marketplace Mastery (Audiobook)",
                "DS-AUDIO",
                "19.99",
                virtual=True,
                downloadable=True,
                managed_stock=False,
                weight="",
            ),
            ProductSeed(
                "Gift Card", "DS-GIFT", "50.00", virtual=True, managed_stock=False, weight=""
            ),
            ProductSeed("Hardcover Edition", "DS-HARD", "34.00", weight="0.7"),
        ),
    ),
)
