import OrderDeskCore

/// A name as written, and its ASCII form for email addresses.
struct DemoName: Sendable {
    let text: String
    let ascii: String

    /// Parses `"Jöns=jons"`; a name without `=` is ASCII already and is lowercased (`"Astrid"`).
    init(_ entry: String) {
        if let split = entry.firstIndex(of: "=") {
            text = String(entry[..<split])
            ascii = String(entry[entry.index(after: split)...])
        } else {
            text = entry
            ascii = entry.lowercased()
        }
    }
}

/// Given and family names that go together (Polish family names agree with the given name's gender).
struct DemoNameSet: Sendable {
    let given: [DemoName]
    let family: [DemoName]

    /// A set from `"Text=ascii"` entries (see `DemoName`).
    init(given: [String], family: [String]) {
        self.given = given.map(DemoName.init)
        self.family = family.map(DemoName.init)
    }
}

/// A city with its postcode, and its sales tax where it differs from the country's (US).
struct DemoCity: Sendable {
    let name: String
    let zip: String
    let taxBasisPoints: Int?

    init(_ name: String, _ zip: String, tax taxBasisPoints: Int? = nil) {
        self.name = name
        self.zip = zip
        self.taxBasisPoints = taxBasisPoints
    }
}

/// How a street address is written in a country.
enum StreetStyle: Sendable {
    /// `Storgatan 12`
    case numberAfter
    /// `12 rue Victor Hugo`, `742 Oak Avenue`
    case numberBefore
    /// `Calle Mayor, 12`
    case commaNumber
    /// Japanese block numbers: `道玄坂2-10-7`
    case blocks
}

/// A country the shop's customers live in.
struct DemoCountry: Sendable {
    let name: String
    /// How many customers come from here, relative to the other countries.
    let weight: Int
    /// Index into `DemoCatalog.currencies` of the usual currency…
    let currency: Int
    /// …and of the one a minority of customers pay in, with their share in percent.
    let otherCurrency: Int?
    let otherCurrencyPercent: Int
    /// VAT or sales tax in basis points (`2550` is 25.5 %): inside the prices or on top of them, as
    /// the currency paid in has it (`DemoCurrency.taxesIncluded`).
    let taxBasisPoints: Int
    /// Whether names are written family name first (Japan, Vietnam).
    let familyFirst: Bool
    let nameSets: [DemoNameSet]
    let cities: [DemoCity]
    let streets: [String]
    let streetStyle: StreetStyle
    /// House numbers seen in street lines.
    let houseNumbers: ClosedRange<Int>
    /// Delivery notes written in the local language.
    let notes: [String]

    init(
        _ name: String, weight: Int, currency: Int, otherCurrency: Int? = nil, otherCurrencyPercent: Int = 0,
        tax: Int, familyFirst: Bool = false, names: [DemoNameSet], cities: [DemoCity], streets: [String],
        style: StreetStyle, houseNumbers: ClosedRange<Int> = 1...120, notes: [String] = []
    ) {
        self.name = name
        self.weight = weight
        self.currency = currency
        self.otherCurrency = otherCurrency
        self.otherCurrencyPercent = otherCurrencyPercent
        self.taxBasisPoints = tax
        self.familyFirst = familyFirst
        self.nameSets = names
        self.cities = cities
        self.streets = streets
        self.streetStyle = style
        self.houseNumbers = houseNumbers
        self.notes = notes
    }
}

extension DemoCatalog {
    /// Where customers live: mostly the euro area, then the US, the UK, Sweden, Japan and Vietnam.
    static let countries: [DemoCountry] = [
        DemoCountry(
            "Germany", weight: 14, currency: eur, tax: 1900,
            names: [
                DemoNameSet(
                    given: ["Jürgen=juergen", "Lena", "Maximilian", "Sophie", "Lukas", "Anna", "Jörg=joerg", "Hannah"],
                    family: [
                        "Müller=mueller", "Schmidt", "Schäfer=schaefer", "Weiß=weiss", "Becker", "Krüger=krueger", "Wagner", "Groß=gross",
                    ])
            ],
            cities: [
                DemoCity("Berlin", "10115"), DemoCity("Hamburg", "20095"), DemoCity("München", "80331"),
                DemoCity("Köln", "50667"), DemoCity("Leipzig", "04109"), DemoCity("Frankfurt am Main", "60311"),
            ],
            streets: ["Hauptstraße", "Gartenstraße", "Schillerstraße", "Bahnhofstraße", "Lindenallee"],
            style: .numberAfter, notes: ["Bitte beim Nachbarn abgeben (Nr. 4)", "Bitte nicht klingeln, Baby schläft"]),
        DemoCountry(
            "France", weight: 11, currency: eur, tax: 2000,
            names: [
                DemoNameSet(
                    given: ["Zoë=zoe", "Chloé=chloe", "Léa=lea", "Théo=theo", "Hélène=helene", "Mathis", "Jérôme=jerome", "Élodie=elodie"],
                    family: ["Dubois", "Martin", "Lefèvre=lefevre", "Girard", "Moreau", "Fournier", "Rousseau", "Mercier"])
            ],
            cities: [
                DemoCity("Paris", "75011"), DemoCity("Lyon", "69002"), DemoCity("Marseille", "13001"),
                DemoCity("Toulouse", "31000"), DemoCity("Nantes", "44000"), DemoCity("Bordeaux", "33000"),
            ],
            streets: ["rue de la République", "rue Victor Hugo", "avenue Jean Jaurès", "boulevard Saint-Michel", "rue des Écoles"],
            style: .numberBefore, notes: ["Merci de laisser le colis chez le gardien", "Code porte : 4821B"]),
        DemoCountry(
            "Finland", weight: 9, currency: eur, tax: 2550,
            names: [
                DemoNameSet(
                    given: ["Aino", "Eetu", "Väinö=vaino", "Siiri", "Onni", "Helmi", "Elias", "Pihla"],
                    family: [
                        "Virtanen", "Mäkinen=makinen", "Korhonen", "Nieminen", "Hämäläinen=hamalainen", "Järvinen=jarvinen", "Lehtonen",
                        "Äijälä=aijala",
                    ])
            ],
            cities: [
                DemoCity("Helsinki", "00100"), DemoCity("Tampere", "33100"), DemoCity("Turku", "20100"),
                DemoCity("Oulu", "90100"), DemoCity("Jyväskylä", "40100"),
            ],
            streets: ["Mannerheimintie", "Hämeenkatu", "Aleksanterinkatu", "Kauppakatu", "Yliopistonkatu"],
            style: .numberAfter, notes: ["Jätä paketti oven taakse, kiitos"]),
        DemoCountry(
            "Netherlands", weight: 7, currency: eur, tax: 2100,
            names: [
                DemoNameSet(
                    given: ["Daan", "Sanne", "Bram", "Fleur", "Sem", "Noor", "Thijs", "Femke"],
                    family: [
                        "de Vries=devries", "van Dijk=vandijk", "Jansen", "Bakker", "Visser", "de Jong=dejong", "van den Berg=vandenberg",
                        "Mulder",
                    ])
            ],
            cities: [
                DemoCity("Amsterdam", "1012 AB"), DemoCity("Rotterdam", "3011 AD"), DemoCity("Utrecht", "3511 LX"),
                DemoCity("Den Haag", "2511 BT"), DemoCity("Eindhoven", "5611 EM"),
            ],
            streets: ["Prinsengracht", "Keizersgracht", "Oudegracht", "Kalverstraat", "Stationsplein"],
            style: .numberAfter),
        DemoCountry(
            "Spain", weight: 7, currency: eur, tax: 2100,
            names: [
                DemoNameSet(
                    given: ["José=jose", "María=maria", "Lucía=lucia", "Álvaro=alvaro", "Inés=ines", "Javier", "Sofía=sofia", "Pablo"],
                    family: [
                        "Núñez=nunez", "García=garcia", "Fernández=fernandez", "López=lopez", "Martínez=martinez", "Sánchez=sanchez",
                        "Ruiz", "Muñoz=munoz",
                    ])
            ],
            cities: [
                DemoCity("Madrid", "28013"), DemoCity("Barcelona", "08001"), DemoCity("Valencia", "46001"),
                DemoCity("Sevilla", "41001"), DemoCity("Bilbao", "48001"),
            ],
            streets: ["Calle Mayor", "Calle de Alcalá", "Avenida de la Constitución", "Carrer de Balmes", "Gran Vía"],
            style: .commaNumber, notes: ["Dejar en conserjería, por favor"]),
        DemoCountry(
            "Italy", weight: 6, currency: eur, tax: 2200,
            names: [
                DemoNameSet(
                    given: ["Giulia", "Lorenzo", "Niccolò=niccolo", "Chiara", "Matteo", "Francesca", "Davide", "Martina"],
                    family: ["Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci"])
            ],
            cities: [
                DemoCity("Roma", "00184"), DemoCity("Milano", "20121"), DemoCity("Torino", "10121"),
                DemoCity("Bologna", "40121"), DemoCity("Napoli", "80134"),
            ],
            streets: ["Via Roma", "Via Garibaldi", "Corso Vittorio Emanuele II", "Via Dante", "Via Mazzini"],
            style: .commaNumber),
        DemoCountry(
            "Poland", weight: 4, currency: eur, tax: 2300,
            names: [
                DemoNameSet(
                    given: ["Łukasz=lukasz", "Michał=michal", "Paweł=pawel", "Krzysztof", "Wojciech"],
                    family: ["Wiśniewski=wisniewski", "Kowalski", "Nowak", "Wójcik=wojcik", "Kamiński=kaminski", "Woźniak=wozniak"]),
                DemoNameSet(
                    given: ["Zofia", "Małgorzata=malgorzata", "Agnieszka", "Joanna", "Alicja"],
                    family: ["Wiśniewska=wisniewska", "Kowalska", "Nowak", "Wójcik=wojcik", "Kamińska=kaminska", "Woźniak=wozniak"]),
            ],
            cities: [
                DemoCity("Warszawa", "00-001"), DemoCity("Kraków", "30-001"), DemoCity("Gdańsk", "80-001"),
                DemoCity("Wrocław", "50-001"), DemoCity("Łódź", "90-001"),
            ],
            streets: ["ul. Marszałkowska", "ul. Floriańska", "ul. Długa", "ul. Piotrkowska", "ul. Świdnicka"],
            style: .numberAfter),
        DemoCountry(
            "Denmark", weight: 3, currency: eur, tax: 2500,
            names: [
                DemoNameSet(
                    given: ["Søren=soren", "Mette", "Frederik", "Ida", "Rasmus", "Freja", "Magnus", "Sofie"],
                    family: [
                        "Højgaard=hojgaard", "Jørgensen=jorgensen", "Nielsen", "Sørensen=sorensen", "Christensen", "Møller=moller",
                        "Kjær=kjaer", "Østergaard=ostergaard",
                    ])
            ],
            cities: [
                DemoCity("København K", "1050"), DemoCity("Aarhus C", "8000"), DemoCity("Odense C", "5000"),
                DemoCity("Aalborg", "9000"),
            ],
            streets: ["Nørregade", "Vesterbrogade", "Søndergade", "Østerbrogade", "Algade"],
            style: .numberAfter),
        DemoCountry(
            "Turkey", weight: 2, currency: eur, tax: 2000,
            names: [
                DemoNameSet(
                    given: ["Ayşe=ayse", "Mehmet", "Elif", "Mustafa", "Zeynep", "Emre", "Şule=sule", "Çağla=cagla"],
                    family: [
                        "Yılmaz=yilmaz", "Kaya", "Demir", "Şahin=sahin", "Çelik=celik", "Yıldız=yildiz", "Öztürk=ozturk", "Doğan=dogan",
                    ])
            ],
            cities: [
                DemoCity("İstanbul", "34430"), DemoCity("Ankara", "06420"), DemoCity("İzmir", "35210"),
                DemoCity("Bursa", "16010"),
            ],
            streets: ["İstiklal Caddesi", "Bağdat Caddesi", "Atatürk Bulvarı", "Cumhuriyet Caddesi"],
            style: .numberAfter),
        DemoCountry(
            "Sweden", weight: 8, currency: sek, otherCurrency: eur, otherCurrencyPercent: 15, tax: 2500,
            names: [
                DemoNameSet(
                    given: ["Jöns=jons", "Astrid", "Björn=bjorn", "Linnéa=linnea", "Måns=mans", "Elsa", "Oskar", "Märta=marta"],
                    family: [
                        "Ärlig=arlig", "Lindqvist", "Åberg=aberg", "Sjöberg=sjoberg", "Nyström=nystrom", "Holm", "Ekström=ekstrom",
                        "Lundgren",
                    ])
            ],
            cities: [
                DemoCity("Stockholm", "111 22"), DemoCity("Göteborg", "411 04"), DemoCity("Malmö", "211 20"),
                DemoCity("Uppsala", "753 10"), DemoCity("Umeå", "903 26"),
            ],
            streets: ["Drottninggatan", "Storgatan", "Kungsgatan", "Götgatan", "Vasagatan"],
            style: .numberAfter, notes: ["Lämna paketet i brevlådan", "Ring på dörren, tack"]),
        DemoCountry(
            "United Kingdom", weight: 10, currency: gbp, tax: 2000,
            names: [
                DemoNameSet(
                    given: ["Oliver", "Amelia", "Harry", "Isla", "George", "Poppy", "Siobhán=siobhan", "Niamh"],
                    family: ["Smith", "Jones", "Evans", "Wright", "O'Brien=obrien", "Hughes", "Patel", "Khan"])
            ],
            cities: [
                DemoCity("London", "E1 6AN"), DemoCity("Manchester", "M1 1AE"), DemoCity("Edinburgh", "EH1 1YZ"),
                DemoCity("Bristol", "BS1 4DJ"), DemoCity("Leeds", "LS1 4AP"),
            ],
            streets: ["High Street", "Church Road", "Station Road", "Victoria Road", "Mill Lane"],
            style: .numberBefore, houseNumbers: 1...240),
        DemoCountry(
            "United States", weight: 12, currency: usd, tax: 0,
            names: [
                DemoNameSet(
                    given: ["Emily", "Michael", "Madison", "Jacob", "Olivia", "Ethan", "Ava", "Noah"],
                    family: ["Johnson", "Williams", "Brown", "Davis", "Miller", "Wilson", "Anderson", "Garcia"])
            ],
            cities: [
                DemoCity("Brooklyn, NY", "11201", tax: 888), DemoCity("San Francisco, CA", "94103", tax: 863),
                DemoCity("Portland, OR", "97205", tax: 0), DemoCity("Austin, TX", "78701", tax: 825),
                DemoCity("Chicago, IL", "60601", tax: 1025),
            ],
            streets: ["Main Street", "Oak Avenue", "Maple Drive", "Broadway", "Elm Street"],
            style: .numberBefore, houseNumbers: 100...4_800),
        DemoCountry(
            "Japan", weight: 3, currency: jpy, tax: 1000, familyFirst: true,
            names: [
                DemoNameSet(
                    given: ["さくら=sakura", "健太=kenta", "陽菜=hina", "翔太=shota", "美咲=misaki", "大輔=daisuke", "ゆい=yui", "蓮=ren"],
                    family: ["渡辺=watanabe", "佐藤=sato", "鈴木=suzuki", "高橋=takahashi", "田中=tanaka", "伊藤=ito", "山本=yamamoto", "中村=nakamura"])
            ],
            cities: [
                DemoCity("東京都渋谷区", "150-0043"), DemoCity("大阪市北区", "530-0001"),
                DemoCity("京都市中京区", "604-8005"), DemoCity("札幌市中央区", "060-0001"),
            ],
            streets: ["道玄坂", "梅田", "河原町", "大通西", "神南"],
            style: .blocks, notes: ["置き配をお願いします", "午前中の配達を希望します"]),
        DemoCountry(
            "Vietnam", weight: 2, currency: usd, tax: 1000, familyFirst: true,
            names: [
                DemoNameSet(
                    given: [
                        "Văn An=van.an", "Thị Lan=thi.lan", "Minh Anh=minh.anh", "Đức Huy=duc.huy", "Thu Hà=thu.ha", "Ngọc Mai=ngoc.mai",
                    ],
                    family: ["Nguyễn=nguyen", "Trần=tran", "Lê=le", "Phạm=pham", "Hoàng=hoang", "Đặng=dang"])
            ],
            cities: [
                DemoCity("Hà Nội", "100000"), DemoCity("Thành phố Hồ Chí Minh", "700000"), DemoCity("Đà Nẵng", "550000"),
            ],
            streets: ["Phố Hàng Bạc", "Đường Lê Lợi", "Đường Trần Hưng Đạo", "Phố Huế"],
            style: .numberBefore),
    ]

    /// How likely a new customer is to come from each of `countries`.
    static let countryWeights = WeightTable(countries.map(\.weight))

    /// Email domains, all reserved for examples.
    static let emailDomains = ["example.com", "example.org", "example.net"]
    /// How common each of `emailDomains` is.
    static let emailDomainWeights = WeightTable([60, 25, 15])
}
