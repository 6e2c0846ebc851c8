"""Plausible, diverse, deterministic people for the demo organisation.

A global biopharma company: managers in every region, in the time zone where they work, across
the functions and levels of a real organisation. Names are drawn from pools typical of each
country (including the mixed heritage of most countries today), with a seeded random.Random, so
the same options always produce the same people.
"""

import random
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

DOMAIN = "northwind.example"


@dataclass(frozen=True)
class Country:
    name: str
    region: str
    time_zones: tuple[str, ...]
    weight: int  # share of Northwind's managers, roughly
    given: tuple[str, ...]
    family: tuple[str, ...]


@dataclass(frozen=True)
class Person:
    full_name: str
    email: str
    time_zone: str
    region: str
    country: str
    function: str
    level: str


def _names(text: str) -> tuple[str, ...]:
    return tuple(name.strip() for name in text.split(",") if name.strip())


COUNTRIES: tuple[Country, ...] = (
    Country(
        "United States",
        "North America",
        ("America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles"),
        16,
        _names(
            "James, Maria, Michael, Jennifer, DeShawn, Emily, Carlos, Ashley, Kevin, Priya, "
            "Tyler, Keisha, Brian, Mei, Jordan, Rachel, Marcus, Hannah, Luis, Nicole"
        ),
        _names(
            "Johnson, Williams, Garcia, Miller, Davis, Rodriguez, Washington, Nguyen, Patel, "
            "Kim, Brooks, Thompson, Rivera, Coleman, Anderson, Murphy, Hughes, Reyes"
        ),
    ),
    Country(
        "Canada",
        "North America",
        ("America/Toronto", "America/Vancouver", "America/Halifax"),
        3,
        _names("Liam, Chloé, Ethan, Gabrielle, Noah, Simran, Olivier, Avery, Wei, Isabelle"),
        _names("Tremblay, Gagnon, Roy, MacDonald, Singh, Leblanc, Wong, Campbell, Côté, Martin"),
    ),
    Country(
        "Mexico",
        "Latin America",
        ("America/Mexico_City", "America/Monterrey"),
        3,
        _names("Alejandro, Guadalupe, José, Ximena, Diego, Valeria, Fernando, Mariana, Andrés"),
        _names("Hernández, López, Martínez, González, Ramírez, Flores, Cruz, Morales, Ortiz"),
    ),
    Country(
        "Brazil",
        "Latin America",
        ("America/Sao_Paulo", "America/Recife"),
        5,
        _names(
            "João, Ana, Pedro, Juliana, Lucas, Fernanda, Thiago, Camila, Rafael, Beatriz, "
            "Gustavo, Larissa"
        ),
        _names(
            "Silva, Santos, Oliveira, Souza, Costa, Pereira, Almeida, Ferreira, Carvalho, "
            "Ribeiro, Nascimento"
        ),
    ),
    Country(
        "Argentina",
        "Latin America",
        ("America/Argentina/Buenos_Aires",),
        2,
        _names("Martín, Sofía, Facundo, Lucía, Nicolás, Agustina, Matías, Florencia"),
        _names("Fernández, Gómez, Díaz, Romero, Álvarez, Sosa, Benítez, Acosta"),
    ),
    Country(
        "Colombia",
        "Latin America",
        ("America/Bogota",),
        2,
        _names("Santiago, Daniela, Sebastián, Natalia, Camilo, Paula, Julián, Catalina"),
        _names("Rodríguez, Castro, Vargas, Restrepo, Jiménez, Mejía, Quintero, Salazar"),
    ),
    Country(
        "United Kingdom",
        "Europe",
        ("Europe/London",),
        8,
        _names(
            "Oliver, Amelia, Harry, Sophie, Jack, Priya, Mohammed, Grace, Thomas, Chloe, "
            "Olamide, Eleanor, Rhys, Aisha, Callum"
        ),
        _names(
            "Smith, Jones, Taylor, Brown, Evans, Khan, Patel, Okafor, Wilson, Davies, Ahmed, "
            "Campbell, Hughes, Chen, Robinson"
        ),
    ),
    Country(
        "Ireland",
        "Europe",
        ("Europe/Dublin",),
        2,
        _names("Aoife, Cian, Niamh, Seán, Siobhán, Conor, Róisín, Darragh"),
        _names("Murphy, O'Brien, Kelly, Walsh, Byrne, Ryan, O'Sullivan, Doyle"),
    ),
    Country(
        "Germany",
        "Europe",
        ("Europe/Berlin",),
        7,
        _names(
            "Lukas, Anna, Jonas, Lena, Felix, Katharina, Maximilian, Sarah, Tobias, Leonie, "
            "Emre, Julia"
        ),
        _names(
            "Müller, Schmidt, Schneider, Fischer, Weber, Becker, Wagner, Hoffmann, Yılmaz, "  # noqa: RUF001 - Turkish dotless i
            "Schulz, Koch, Richter"
        ),
    ),
    Country(
        "Switzerland",
        "Europe",
        ("Europe/Zurich",),
        5,
        _names("Luca, Laura, Noah, Mia, Elias, Lea, Matteo, Chiara, Nils, Céline"),
        _names("Meier, Keller, Brunner, Gerber, Baumann, Rossi, Frei, Huber, Favre, Bianchi"),
    ),
    Country(
        "France",
        "Europe",
        ("Europe/Paris",),
        5,
        _names("Camille, Louis, Manon, Hugo, Inès, Antoine, Léa, Mathieu, Yasmine, Julien, Sarah"),
        _names(
            "Martin, Bernard, Dubois, Moreau, Laurent, Lefèvre, Girard, Benali, Fontaine, Mercier"
        ),
    ),
    Country(
        "Spain",
        "Europe",
        ("Europe/Madrid",),
        3,
        _names("Pablo, Lucía, Javier, Carmen, Álvaro, Marta, Sergio, Elena, Raúl, Nuria"),
        _names("García, Sánchez, Pérez, Navarro, Torres, Ruiz, Moreno, Serrano, Ortega"),
    ),
    Country(
        "Italy",
        "Europe",
        ("Europe/Rome",),
        3,
        _names("Giulia, Marco, Francesca, Alessandro, Chiara, Lorenzo, Sara, Davide, Elisa"),
        _names("Rossi, Russo, Ferrari, Esposito, Romano, Colombo, Ricci, Marino, Greco"),
    ),
    Country(
        "Poland",
        "Europe",
        ("Europe/Warsaw",),
        2,
        _names("Jakub, Zuzanna, Piotr, Katarzyna, Michał, Agnieszka, Tomasz, Magdalena"),
        # Surnames that are the same for everyone (-ski/-ska ones change with gender).
        _names("Nowak, Wójcik, Kowalczyk, Mazur, Krawczyk, Zając, Król, Wieczorek"),
    ),
    Country(
        "Sweden",
        "Europe",
        ("Europe/Stockholm",),
        2,
        _names("Erik, Astrid, Oskar, Ebba, Johan, Maja, Ahmed, Linnea"),
        _names("Andersson, Johansson, Karlsson, Nilsson, Lindqvist, Berg, Eriksson, Holm"),
    ),
    Country(
        "Belgium",
        "Europe",
        ("Europe/Brussels",),
        2,
        _names("Lotte, Arthur, Emma, Thibault, Marie, Wout, Nora, Mehdi"),
        _names("Peeters, Janssens, Maes, Dubois, Claes, Lambert, Wouters, El Amrani"),
    ),
    Country(
        "South Africa",
        "Africa",
        ("Africa/Johannesburg",),
        3,
        _names("Thabo, Lerato, Sipho, Naledi, Pieter, Zanele, Ayesha, Johan, Nomvula, Kagiso"),
        _names("Nkosi, Dlamini, Mokoena, Van der Merwe, Naidoo, Botha, Khumalo, Pillay, Ndlovu"),
    ),
    Country(
        "Nigeria",
        "Africa",
        ("Africa/Lagos",),
        2,
        _names("Chinedu, Ngozi, Oluwaseun, Aisha, Emeka, Funmilayo, Ibrahim, Chiamaka"),
        _names("Okafor, Adeyemi, Okonkwo, Bello, Eze, Balogun, Nwosu, Abubakar"),
    ),
    Country(
        "Kenya",
        "Africa",
        ("Africa/Nairobi",),
        2,
        _names("Wanjiru, Otieno, Achieng, Kamau, Njeri, Kipchoge, Akinyi, Mwangi"),
        _names("Kariuki, Odhiambo, Mutua, Wekesa, Njoroge, Chebet, Omondi, Kimani"),
    ),
    Country(
        "Egypt",
        "Middle East and North Africa",
        ("Africa/Cairo",),
        2,
        _names("Omar, Nour, Karim, Salma, Youssef, Mariam, Ahmed, Hana"),
        _names("Hassan, Mahmoud, Ibrahim, El-Sayed, Mostafa, Fawzy, Naguib, Saleh"),
    ),
    Country(
        "United Arab Emirates",
        "Middle East and North Africa",
        ("Asia/Dubai",),
        2,
        _names("Fatima, Khalid, Layla, Rashid, Anjali, Samir, Reem, Tariq"),
        _names("Al Mansoori, Haddad, Al Hashimi, Menon, Khoury, Qureshi, Al Suwaidi, Farah"),
    ),
    Country(
        "India",
        "South Asia",
        ("Asia/Kolkata",),
        8,
        _names(
            "Aarav, Ananya, Rohan, Priya, Vikram, Kavya, Arjun, Divya, Sanjay, Meera, Rahul, "
            "Lakshmi, Farhan, Neha"
        ),
        _names(
            "Sharma, Iyer, Reddy, Gupta, Nair, Menon, Banerjee, Kulkarni, Singh, Rao, Das, "
            "Chatterjee, Joshi, Hussain"
        ),
    ),
    Country(
        "Singapore",
        "Southeast Asia",
        ("Asia/Singapore",),
        3,
        _names("Wei Ling, Jun Jie, Siti, Arun, Hui Min, Kumar, Nurul, Darren, Mei Xin"),
        _names("Tan, Lim, Lee, Ng, Wong, Rahman, Pillai, Goh, Chua"),
    ),
    Country(
        "Philippines",
        "Southeast Asia",
        ("Asia/Manila",),
        2,
        _names("Maria Clara, Jose, Angelica, Mark, Kristine, Paolo, Joy, Carlo"),
        _names("Santos, Reyes, Cruz, Bautista, Mendoza, Aquino, Villanueva, Dela Cruz"),
    ),
    Country(
        "Japan",
        "East Asia",
        ("Asia/Tokyo",),
        5,
        _names("Haruto, Yui, Sota, Aoi, Kenji, Sakura, Takumi, Hina, Daiki, Mei, Yuki, Ren"),
        _names(
            "Sato, Suzuki, Takahashi, Tanaka, Watanabe, Ito, Yamamoto, Nakamura, Kobayashi, Kato"
        ),
    ),
    Country(
        "South Korea",
        "East Asia",
        ("Asia/Seoul",),
        2,
        _names("Min-jun, Seo-yeon, Ji-ho, Ha-eun, Hyun-woo, Ji-woo, Dong-hyun, Soo-ah"),
        _names("Kim, Lee, Park, Choi, Jung, Kang, Cho, Yoon"),
    ),
    Country(
        "China",
        "East Asia",
        ("Asia/Shanghai",),
        5,
        _names("Wei, Xin, Hao, Jing, Yang, Li Na, Jun, Mei, Zhiwei, Xiaoling, Bo, Yan"),
        _names("Wang, Li, Zhang, Liu, Chen, Yang, Huang, Zhao, Wu, Zhou, Xu, Sun"),
    ),
    Country(
        "Australia",
        "Oceania",
        ("Australia/Sydney", "Australia/Melbourne", "Australia/Perth"),
        3,
        _names("Charlotte, Jack, Olivia, William, Isla, Cooper, Ruby, Mitchell, Tahlia, Vikram"),
        _names("Smith, Nguyen, Wilson, Kelly, O'Connor, Tran, Walker, Harris, Clarke, Singh"),
    ),
    Country(
        "New Zealand",
        "Oceania",
        ("Pacific/Auckland",),
        1,
        _names("Aroha, Liam, Mere, Hamish, Anahera, Tama, Georgia, Sione"),
        _names("Ngata, Thompson, Parata, Walker, Tuhiwai, Campbell, Fifita, Reid"),
    ),
)

# Weighted roughly like a biopharma company's population of managers.
FUNCTIONS: tuple[tuple[str, int], ...] = (
    ("R&D", 20),
    ("Manufacturing", 18),
    ("Commercial", 20),
    ("Medical Affairs", 8),
    ("Quality", 8),
    ("Regulatory Affairs", 5),
    ("Supply Chain", 7),
    ("Finance", 5),
    ("HR", 4),
    ("IT", 5),
)
LEVELS: tuple[tuple[str, int], ...] = (
    ("First-line manager", 62),
    ("Senior manager", 28),
    ("Director", 10),
)


def email_part(name: str) -> str:
    """ASCII for an address: accents dropped, spaces and apostrophes removed ("Côté" -> "cote")."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9-]", "", ascii_name.lower().replace(" ", "-")).strip("-")


class PeopleGenerator:
    """People in a stable order: the first ones cover every country, so even a small demo spans
    all regions; after that, countries come in proportion to their weight.

    Emails are `given.family.N@northwind.example` with N counting every person generated, so
    they are unique however many people share a name.
    """

    def __init__(self, seed: int, *, domain: str = DOMAIN) -> None:
        self._rng = random.Random(seed)
        self._domain = domain
        self._count = 0
        self._weights = [country.weight for country in COUNTRIES]

    def _country(self) -> Country:
        if self._count <= len(COUNTRIES):
            return COUNTRIES[(self._count - 1) % len(COUNTRIES)]
        return self._rng.choices(COUNTRIES, weights=self._weights)[0]

    def _weighted(self, options: tuple[tuple[str, int], ...]) -> str:
        names = [name for name, _ in options]
        return self._rng.choices(names, weights=[weight for _, weight in options])[0]

    def person(self) -> Person:
        self._count += 1
        country = self._country()
        given = self._rng.choice(country.given)
        family = self._rng.choice(country.family)
        # Family name first is the custom in these countries; people sign in by email anyway.
        family_first = (
            country.name in {"China", "Japan", "South Korea"} and self._rng.random() < 0.3
        )
        full_name = f"{family} {given}" if family_first else f"{given} {family}"
        return Person(
            full_name=full_name,
            email=f"{email_part(given)}.{email_part(family)}.{self._count}@{self._domain}",
            time_zone=self._rng.choice(country.time_zones),
            region=country.region,
            country=country.name,
            function=self._weighted(FUNCTIONS),
            level=self._weighted(LEVELS),
        )

    def people(self, count: int) -> Iterator[Person]:
        for _ in range(count):
            yield self.person()
