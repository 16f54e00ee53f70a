//! `agora seed --demo`: a small, realistic platform to look around in. Loaded in one
//! transaction, and only once.
use app::platform::Platform;
use sqlx::{Any, Row, Transaction};

struct DemoUser {
    email: &'static str,
    first: &'static str,
    last: &'static str,
    user_type: &'static str,
    country: &'static str,
    locale: &'static str,
}

const USERS: &[DemoUser] = &[
    DemoUser {
        email: "admin@agora.example",
        first: "Alex",
        last: "Admin",
        user_type: "other",
        country: "BE",
        locale: "en",
    },
    DemoUser {
        email: "mette.validator@agora.example",
        first: "Mette",
        last: "Holm",
        user_type: "other",
        country: "DK",
        locale: "da",
    },
    DemoUser {
        email: "erik.validator@agora.example",
        first: "Erik",
        last: "Lindqvist",
        user_type: "other",
        country: "SE",
        locale: "sv",
    },
    DemoUser {
        email: "karen.nielsen@aarhus-akademi.example",
        first: "Karen",
        last: "Nielsen",
        user_type: "teacher_trainer",
        country: "DK",
        locale: "da",
    },
    DemoUser {
        email: "johan.berg@skolverkstaden.example",
        first: "Johan",
        last: "Berg",
        user_type: "teacher_trainer",
        country: "SE",
        locale: "sv",
    },
    DemoUser {
        email: "claire.dubois@eti.example",
        first: "Claire",
        last: "Dubois",
        user_type: "researcher",
        country: "BE",
        locale: "en",
    },
    DemoUser {
        email: "lars.moderator@aarhus-akademi.example",
        first: "Lars",
        last: "Madsen",
        user_type: "teacher",
        country: "DK",
        locale: "da",
    },
    DemoUser {
        email: "sofia.andersson@skola.example",
        first: "Sofia",
        last: "Andersson",
        user_type: "teacher",
        country: "SE",
        locale: "sv",
    },
    DemoUser {
        email: "mikkel.larsen@skole.example",
        first: "Mikkel",
        last: "Larsen",
        user_type: "head_of_school",
        country: "DK",
        locale: "da",
    },
    DemoUser {
        email: "maria.rossi@scuola.example",
        first: "Maria",
        last: "Rossi",
        user_type: "teacher",
        country: "IT",
        locale: "en",
    },
    // Learners of the Danish course's run with some progress ([`LEARNERS`]).
    DemoUser {
        email: "anna.jensen@skole.example",
        first: "Anna",
        last: "Jensen",
        user_type: "teacher",
        country: "DK",
        locale: "da",
    },
    DemoUser {
        email: "jonas.poulsen@skole.example",
        first: "Jonas",
        last: "Poulsen",
        user_type: "teacher",
        country: "DK",
        locale: "da",
    },
    DemoUser {
        email: "freja.christensen@skole.example",
        first: "Freja",
        last: "Christensen",
        user_type: "teacher",
        country: "DK",
        locale: "da",
    },
    DemoUser {
        email: "oliver.hansen@skole.example",
        first: "Oliver",
        last: "Hansen",
        user_type: "teacher",
        country: "DK",
        locale: "da",
    },
    DemoUser {
        email: "ida.pedersen@skole.example",
        first: "Ida",
        last: "Pedersen",
        user_type: "teacher",
        country: "DK",
        locale: "da",
    },
];

/// A demo learner of the Danish course's run (S12), so its staff dashboard has numbers:
/// when they enrolled and opened the course (days before the seed), how many of its items
/// they completed (in course order) and whether they have left the run.
struct DemoLearner {
    user: usize,
    enrolled: i64,
    active_days: &'static [i64],
    done: usize,
    left: bool,
}

/// The course the demo learners follow (an index into `COURSES`).
const LEARNERS_COURSE: usize = 1;

const LEARNERS: &[DemoLearner] = &[
    // Every item done: the certificate is issued.
    DemoLearner {
        user: 10,
        enrolled: 24,
        active_days: &[23, 16, 9, 3],
        done: 4,
        left: false,
    },
    DemoLearner {
        user: 11,
        enrolled: 20,
        active_days: &[19, 12, 2],
        done: 3,
        left: false,
    },
    DemoLearner {
        user: 12,
        enrolled: 10,
        active_days: &[9],
        done: 1,
        left: false,
    },
    // Enrolled, not started.
    DemoLearner {
        user: 13,
        enrolled: 5,
        active_days: &[],
        done: 0,
        left: false,
    },
    DemoLearner {
        user: 14,
        enrolled: 26,
        active_days: &[25, 18],
        done: 2,
        left: true,
    },
];

struct DemoOrg {
    slug: &'static str,
    name: &'static str,
    org_type: &'static str,
    address: &'static str,
    city: &'static str,
    postcode: &'static str,
    country: &'static str,
    region: &'static str,
    pic: &'static str,
    admin: usize,
    description: &'static str,
    website: &'static str,
}

const ORGS: &[DemoOrg] = &[
    DemoOrg {
        slug: "aarhus-laereakademi",
        name: "Aarhus Læreakademi",
        org_type: "training_provider",
        address: "Søndergade 12",
        city: "Aarhus",
        postcode: "8000",
        country: "DK",
        region: "Midtjylland",
        pic: "948372615",
        admin: 3,
        description: "Efteruddannelse for lærere i grundskolen siden 1998.",
        website: "https://aarhus-akademi.example",
    },
    DemoOrg {
        slug: "skolverkstaden-goteborg",
        name: "Skolverkstaden Göteborg",
        org_type: "training_provider",
        address: "Vasagatan 7",
        city: "Göteborg",
        postcode: "411 24",
        country: "SE",
        region: "Västra Götaland",
        pic: "917263548",
        admin: 4,
        description: "Kompetensutveckling för lärare i hela Norden.",
        website: "https://skolverkstaden.example",
    },
    DemoOrg {
        slug: "european-teacher-institute",
        name: "European Teacher Institute",
        org_type: "higher_education",
        address: "Rue de la Loi 42",
        city: "Brussels",
        postcode: "1040",
        country: "BE",
        region: "Brussels-Capital",
        pic: "936482751",
        admin: 5,
        description: "Research-based professional development for teachers across Europe.",
        website: "https://eti.example",
    },
];

struct DemoCourse {
    slug: &'static str,
    org: usize,
    title: &'static str,
    summary: &'static str,
    language: &'static str,
    hours: i64,
    teacher: usize,
    modules: &'static [(&'static str, &'static [(&'static str, &'static str)])],
}

const COURSES: &[DemoCourse] = &[
    DemoCourse {
        slug: "formative-assessment-in-practice",
        org: 2,
        language: "en",
        hours: 12,
        teacher: 5,
        title: "Formative assessment in practice",
        summary: "Use feedback, self-assessment and peer assessment to make learning visible in any subject.",
        modules: &[
            (
                "Why formative assessment works",
                &[
                    (
                        "What the research says",
                        "Formative assessment is **assessment for learning**: evidence of what pupils know is used to adapt teaching while it happens.\n\n- Black and Wiliam's review of 250 studies\n- Effect sizes and what they mean in a classroom",
                    ),
                    (
                        "Learning intentions and success criteria",
                        "Share *where we are going* and *what good looks like* before pupils start.\n\n> Try it: rewrite one of next week's lesson goals as a learning intention and three success criteria.",
                    ),
                ],
            ),
            (
                "Feedback that moves learning forward",
                &[
                    (
                        "Comments instead of grades",
                        "Feedback works when pupils act on it. Plan time in the lesson for pupils to respond to comments.",
                    ),
                    (
                        "Peer assessment with protocols",
                        "Use a protocol such as *two stars and a wish* so that peer feedback stays kind, specific and helpful.",
                    ),
                ],
            ),
        ],
    },
    DemoCourse {
        slug: "digital-dannelse-i-udskolingen",
        org: 0,
        language: "da",
        hours: 8,
        teacher: 3,
        title: "Digital dannelse i udskolingen",
        summary: "Styrk elevernes kritiske sans over for kilder, algoritmer og deres eget digitale fodaftryk.",
        modules: &[
            (
                "Kildekritik i en algoritmisk verden",
                &[
                    (
                        "Hvordan virker et feed?",
                        "Eleverne undersøger, hvorfor to personer ser forskellige opslag på de samme platforme.\n\n1. Sammenlign to feeds\n2. Diskutér: hvem bestemmer, hvad vi ser?",
                    ),
                    (
                        "Falske nyheder og faktatjek",
                        "Brug **lateral læsning**: forlad siden og undersøg afsenderen, før du vurderer indholdet.",
                    ),
                ],
            ),
            (
                "Elevernes digitale fodaftryk",
                &[
                    (
                        "Hvad ved nettet om mig?",
                        "Eleverne kortlægger deres eget digitale fodaftryk og laver en plan for privatlivsindstillinger.",
                    ),
                    (
                        "Samtykke og billeddeling",
                        "Hvornår må man dele et billede af en klassekammerat? Tag udgangspunkt i konkrete cases.",
                    ),
                ],
            ),
        ],
    },
    DemoCourse {
        slug: "sprakutvecklande-undervisning",
        org: 1,
        language: "sv",
        hours: 10,
        teacher: 4,
        title: "Språkutvecklande undervisning i alla ämnen",
        summary: "Stötta elevernas skolspråk med cirkelmodellen, stödstrukturer och samtal som lyfter ämnesinnehållet.",
        modules: &[
            (
                "Skolspråk och vardagsspråk",
                &[
                    (
                        "Vad är skolspråk?",
                        "Ämnesspråket är ofta mer abstrakt och informationstätt än vardagsspråket. Det måste undervisas explicit.",
                    ),
                    (
                        "Att synliggöra ämnesord",
                        "Arbeta med **ordväggar** och begreppskartor som eleverna själva bygger vidare på.",
                    ),
                ],
            ),
            (
                "Cirkelmodellen",
                &[
                    (
                        "Fyra faser",
                        "1. Bygga upp kunskap om ämnet\n2. Studera texttypen\n3. Skriva gemensamt\n4. Skriva självständigt",
                    ),
                    (
                        "Gemensamt skrivande i praktiken",
                        "Läraren skriver på tavlan medan klassen formulerar texten tillsammans. Tänk högt om språkliga val.",
                    ),
                ],
            ),
        ],
    },
];

/// A catalogue listing of the demo (S7): dates are days from the day the demo is loaded.
struct DemoListing {
    org: usize,
    by: usize,
    kind: &'static str,
    status: &'static str,
    title: &'static str,
    summary: &'static str,
    description: &'static str,
    language: &'static str,
    country: &'static str,
    place: &'static str,
    mode: &'static str,
    /// Start and end, in days from today.
    days: Option<(i64, i64)>,
    /// Expiry in days from today; a negative one makes an expired listing.
    expires: Option<i64>,
    fee: &'static str,
    audience: &'static str,
    mobility_type: &'static str,
    host: &'static str,
    places: Option<i64>,
    idea: &'static str,
    sought: &'static str,
    deadline: Option<i64>,
    subjects: &'static [&'static str],
}

const NO_LISTING: DemoListing = DemoListing {
    org: 0,
    by: 3,
    kind: "course",
    status: "published",
    title: "",
    summary: "",
    description: "",
    language: "en",
    country: "DK",
    place: "",
    mode: "onsite",
    days: None,
    expires: None,
    fee: "",
    audience: "",
    mobility_type: "",
    host: "",
    places: None,
    idea: "",
    sought: "",
    deadline: None,
    subjects: &[],
};

const LISTINGS: &[DemoListing] = &[
    DemoListing {
        title: "Outdoor mathematics for primary teachers",
        summary: "Five days of maths lessons in the school yard, the forest and the harbour.",
        description: "We plan, try out and evaluate **outdoor maths lessons** together.\n\n- measuring and estimating\n- geometry with ropes and sticks\n- data collection on the go",
        place: "Aarhus",
        days: Some((45, 49)),
        fee: "450 EUR",
        audience: "Primary teachers",
        subjects: &["mathematics", "physical_education"],
        ..NO_LISTING
    },
    DemoListing {
        title: "Formative assessment online workshop",
        summary: "Four evening sessions on feedback that moves learning forward.",
        description: "Live online sessions with short tasks between them.",
        mode: "online",
        days: Some((20, 41)),
        fee: "Free",
        audience: "Lower secondary teachers",
        subjects: &["cross_curricular"],
        ..NO_LISTING
    },
    DemoListing {
        org: 1,
        by: 4,
        title: "Svenska som andraspråk i praktiken",
        summary: "En kurs om språkutvecklande undervisning i alla ämnen.",
        language: "sv",
        country: "SE",
        place: "Göteborg",
        mode: "blended",
        days: Some((60, 62)),
        fee: "3 200 SEK",
        audience: "Lärare i grundskolan",
        subjects: &["first_language", "foreign_languages"],
        ..NO_LISTING
    },
    DemoListing {
        org: 2,
        by: 5,
        title: "Digital citizenship in the classroom",
        summary: "A week in Brussels on media literacy and online safety.",
        language: "fr",
        country: "BE",
        place: "Brussels",
        days: Some((90, 94)),
        fee: "600 EUR",
        audience: "Secondary teachers",
        subjects: &["citizenship", "computing"],
        ..NO_LISTING
    },
    DemoListing {
        title: "Draft: science club starter course",
        summary: "Not ready yet.",
        place: "Aarhus",
        days: Some((120, 121)),
        status: "draft",
        subjects: &["science"],
        ..NO_LISTING
    },
    DemoListing {
        title: "Winter course on reading (expired)",
        summary: "Its registration has closed.",
        place: "Aarhus",
        days: Some((2, 4)),
        expires: Some(-1),
        subjects: &["first_language"],
        ..NO_LISTING
    },
    DemoListing {
        kind: "mobility",
        title: "Job shadowing at a Danish folkeskole",
        summary: "Spend a week with our maths and science teachers.",
        place: "Aarhus",
        days: Some((70, 74)),
        mobility_type: "job_shadowing",
        host: "Aarhus Læreakademi partner schools",
        places: Some(3),
        subjects: &["mathematics", "science"],
        ..NO_LISTING
    },
    DemoListing {
        org: 1,
        by: 4,
        kind: "mobility",
        title: "Teaching assignment: English in Göteborg",
        summary: "Teach English to lower secondary classes for two weeks.",
        country: "SE",
        place: "Göteborg",
        days: Some((100, 113)),
        mobility_type: "teaching_assignment",
        host: "Skolverkstaden Göteborg",
        places: Some(1),
        subjects: &["foreign_languages"],
        ..NO_LISTING
    },
    DemoListing {
        org: 2,
        by: 5,
        kind: "mobility",
        title: "Job shadowing in a Brussels European school",
        language: "fr",
        country: "BE",
        place: "Brussels",
        days: Some((30, 34)),
        mobility_type: "job_shadowing",
        host: "European Teacher Institute",
        places: Some(4),
        subjects: &["citizenship"],
        ..NO_LISTING
    },
    DemoListing {
        kind: "partnership",
        title: "Partners sought: climate and the sea",
        summary: "A KA2 school partnership on coastal climate change.",
        mode: "blended",
        idea: "Pupils aged 12 to 15 measure and compare coastal changes and share their data.",
        sought: "Two lower secondary schools by the sea, ideally in Italy or Portugal.",
        deadline: Some(50),
        subjects: &["science", "geography"],
        ..NO_LISTING
    },
    DemoListing {
        org: 2,
        by: 5,
        kind: "partnership",
        title: "Partners sought: teacher wellbeing network",
        summary: "Build a network on teacher wellbeing and retention.",
        language: "en",
        country: "BE",
        mode: "online",
        idea: "Exchange practices that keep teachers healthy and in the profession.",
        sought: "Teacher training institutes and school networks.",
        deadline: Some(25),
        subjects: &["cross_curricular"],
        ..NO_LISTING
    },
];

#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error("--demo is the only kind of seed data; run `agora seed --demo`")]
    NothingToDo,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    #[error("the demo progress could not be recorded")]
    Progress,
}

/// Every demo account signs in with this password (demo data only; README says so).
pub const DEMO_PASSWORD: &str = "agora-demo-2026";

/// Loads the demo. Returns false if it was already there.
pub async fn seed_demo(p: &Platform) -> Result<bool, SeedError> {
    let now = p.clock.now_ms();
    let mut tx = p.db.pool.begin().await?;
    let present = sqlx::query("SELECT id FROM users WHERE email = $1")
        .bind(USERS[0].email)
        .fetch_optional(&mut *tx)
        .await?
        .is_some();
    if present {
        return Ok(false);
    }
    let mut user_ids = Vec::new();
    // One hash for all demo users: Argon2id is slow on purpose.
    let demo_hash = app::accounts::password::hash(DEMO_PASSWORD);
    for u in USERS {
        let row = sqlx::query(
            "INSERT INTO users (email, first_name, last_name, user_type, country, locale, created_at, \
             email_verified_at, verified_at, last_login_at, password_hash) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $7, $7, $8) RETURNING id",
        )
        .bind(u.email)
        .bind(u.first)
        .bind(u.last)
        .bind(u.user_type)
        .bind(u.country)
        .bind(u.locale)
        .bind(now)
        .bind(&demo_hash)
        .fetch_one(&mut *tx)
        .await?;
        user_ids.push(row.get::<i64, _>(0));
    }
    for (user, role, country) in [
        (0, "platform_admin", ""),
        (1, "national_validator", "DK"),
        (2, "national_validator", "SE"),
    ] {
        sqlx::query("INSERT INTO role_grants (user_id, role, country, granted_at) VALUES ($1, $2, $3, $4)")
            .bind(user_ids[user])
            .bind(role)
            .bind(country)
            .bind(now)
            .execute(&mut *tx)
            .await?;
    }
    let mut org_ids = Vec::new();
    for o in ORGS {
        let row = sqlx::query(
            "INSERT INTO organisations (slug, name, org_type, address, city, postcode, country, region, pic, \
             contact_user_id, description, website, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id",
        )
        .bind(o.slug)
        .bind(o.name)
        .bind(o.org_type)
        .bind(o.address)
        .bind(o.city)
        .bind(o.postcode)
        .bind(o.country)
        .bind(o.region)
        .bind(o.pic)
        .bind(user_ids[o.admin])
        .bind(o.description)
        .bind(o.website)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        let org = row.get::<i64, _>(0);
        org_ids.push(org);
        add_member(&mut tx, org, user_ids[o.admin], "admin", now).await?;
    }
    add_member(&mut tx, org_ids[0], user_ids[6], "member", now).await?;
    for (i, c) in COURSES.iter().enumerate() {
        // Newest first on the home page: stagger creation by a minute per course.
        let created = now - (COURSES.len() - i) as i64 * 60_000;
        let course = insert_course(&mut tx, c, org_ids[c.org], created).await?;
        sqlx::query("INSERT INTO course_staff (course_id, user_id, kind) VALUES ($1, $2, 'teacher')")
            .bind(course)
            .bind(user_ids[c.teacher])
            .execute(&mut *tx)
            .await?;
        let run = sqlx::query(
            "INSERT INTO course_runs (course_id, title, enrol_opens_at, self_paced, capacity, created_at) \
             VALUES ($1, $2, $3, 1, 500, $3) RETURNING id",
        )
        .bind(course)
        .bind("2026/27")
        .bind(created)
        .fetch_one(&mut *tx)
        .await?
        .get::<i64, _>(0);
        for learner in [7, 8, 9] {
            sqlx::query(
                "INSERT INTO enrolments (run_id, user_id, status, enrolled_at) VALUES ($1, $2, 'active', $3)",
            )
            .bind(run)
            .bind(user_ids[learner])
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
    }
    sqlx::query("INSERT INTO course_staff (course_id, user_id, kind) SELECT id, $1, 'moderator' FROM courses WHERE slug = $2")
        .bind(user_ids[6])
        .bind(COURSES[1].slug)
        .execute(&mut *tx)
        .await?;
    for (i, l) in LISTINGS.iter().enumerate() {
        let at = now - (LISTINGS.len() - i) as i64 * 60_000;
        insert_listing(&mut tx, l, org_ids[l.org], user_ids[l.by], at).await?;
    }
    seed_course_items(&mut tx, now).await?;
    seed_progress(&mut tx, &user_ids, now).await?;
    tx.commit().await?;
    Ok(true)
}

/// Written directly (not through `catalogue::db::create`) so the demo stays one
/// transaction, and so it can hold an already-expired listing.
async fn insert_listing(
    tx: &mut Transaction<'_, Any>,
    l: &DemoListing,
    org: i64,
    user: i64,
    at: i64,
) -> Result<(), sqlx::Error> {
    use app::platform::clock::date_of_ms;
    let day = |d: i64| date_of_ms(at + d * 86_400_000);
    let id = sqlx::query(
        "INSERT INTO catalogue_listings (slug, organisation_id, kind, status, title, summary, description_md, language, \
         country, place, mode, starts_on, ends_on, expires_on, fee, target_audience, mobility_type, host, places, \
         project_idea, partners_sought, deadline_on, created_by, published_at, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, \
         $23, $24, $25, $25) RETURNING id",
    )
    .bind(app::check::slug_of(l.title))
    .bind(org)
    .bind(l.kind)
    .bind(l.status)
    .bind(l.title)
    .bind(l.summary)
    .bind(l.description)
    .bind(l.language)
    .bind(l.country)
    .bind(l.place)
    .bind(l.mode)
    .bind(l.days.map(|(s, _)| day(s)))
    .bind(l.days.map(|(_, e)| day(e)))
    .bind(l.expires.map(day))
    .bind(l.fee)
    .bind(l.audience)
    .bind(l.mobility_type)
    .bind(l.host)
    .bind(l.places)
    .bind(l.idea)
    .bind(l.sought)
    .bind(l.deadline.map(day))
    .bind(user)
    .bind((l.status == "published").then_some(at))
    .bind(at)
    .fetch_one(&mut **tx)
    .await?
    .get::<i64, _>(0);
    for subject in l.subjects {
        sqlx::query("INSERT INTO catalogue_listing_subjects (listing_id, subject) VALUES ($1, $2)")
            .bind(id)
            .bind(*subject)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Courses (issue 7): every demo lesson gets its place in its module's item list (the
/// order learners follow), and the demo runs are published so their learners can open them.
async fn seed_course_items(tx: &mut Transaction<'_, Any>, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO course_items (module_id, position, kind, lesson_id, required) \
         SELECT l.module_id, l.position, 'lesson', l.id, 1 FROM lessons l \
         WHERE NOT EXISTS (SELECT 1 FROM course_items i WHERE i.lesson_id = l.id)",
    )
    .execute(&mut **tx)
    .await?;
    sqlx::query("UPDATE course_runs SET status = 'published'")
        .execute(&mut **tx)
        .await?;
    // S7: the runs' catalogue listings, as every course change keeps them.
    let courses: Vec<i64> = sqlx::query_scalar("SELECT id FROM courses ORDER BY id")
        .fetch_all(&mut **tx)
        .await?;
    for course in courses {
        app::courses::listing::sync(tx, course, now).await?;
    }
    Ok(())
}

/// S12: the demo learners' enrolments, attendance and completed items in the run of
/// `COURSES[LEARNERS_COURSE]`. Items are completed by the rule learners follow
/// (`courses::db::complete_in`), so a learner who completes everything gets the certificate.
async fn seed_progress(tx: &mut Transaction<'_, Any>, user_ids: &[i64], now: i64) -> Result<(), SeedError> {
    use app::courses::{db, model::day_of};
    const DAY_MS: i64 = 86_400_000;
    let course = COURSES[LEARNERS_COURSE].slug;
    let row = sqlx::query(
        "SELECT r.id, c.id FROM course_runs r JOIN courses c ON c.id = r.course_id WHERE c.slug = $1",
    )
    .bind(course)
    .fetch_one(&mut **tx)
    .await?;
    let (run, course_id): (i64, i64) = (row.get(0), row.get(1));
    let items: Vec<i64> = sqlx::query_scalar(
        "SELECT i.id FROM course_items i JOIN course_modules m ON m.id = i.module_id \
         WHERE m.course_id = $1 ORDER BY m.position, i.position",
    )
    .bind(course_id)
    .fetch_all(&mut **tx)
    .await?;
    let run_row = db::RunRow {
        id: run,
        title: String::new(),
        status: "published".into(),
        course_id,
        course_slug: course.into(),
        course_title: String::new(),
        course_status: "published".into(),
        completion_rule: String::new(),
    };
    for l in LEARNERS {
        let user = user_ids[l.user];
        sqlx::query(
            "INSERT INTO enrolments (run_id, user_id, status, enrolled_at) VALUES ($1, $2, 'active', $3)",
        )
        .bind(run)
        .bind(user)
        .bind(now - l.enrolled * DAY_MS)
        .execute(&mut **tx)
        .await?;
        for day in l.active_days {
            sqlx::query("INSERT INTO run_activity_days (run_id, user_id, day) VALUES ($1, $2, $3)")
                .bind(run)
                .bind(user)
                .bind(day_of(now - day * DAY_MS))
                .execute(&mut **tx)
                .await?;
        }
        // Each item on one of the learner's active days, the last ones on the last day.
        for (n, item) in items.iter().take(l.done).enumerate() {
            let day = l.active_days[n.min(l.active_days.len() - 1)];
            db::complete_in(tx, &run_row, user, *item, now - day * DAY_MS, None)
                .await
                .map_err(|e| match e {
                    db::CourseError::Db(e) => SeedError::Db(e),
                    _ => SeedError::Progress,
                })?;
        }
        if l.left {
            let last = l.active_days.last().copied().unwrap_or(l.enrolled);
            sqlx::query(
                "UPDATE enrolments SET status = 'left', ended_at = $3 WHERE run_id = $1 AND user_id = $2",
            )
            .bind(run)
            .bind(user)
            .bind(now - last * DAY_MS)
            .execute(&mut **tx)
            .await?;
        }
    }
    Ok(())
}

async fn add_member(
    tx: &mut Transaction<'_, Any>,
    org: i64,
    user: i64,
    role: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO organisation_members (organisation_id, user_id, role, joined_at) VALUES ($1, $2, $3, $4)")
        .bind(org)
        .bind(user)
        .bind(role)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

async fn insert_course(
    tx: &mut Transaction<'_, Any>,
    c: &DemoCourse,
    org: i64,
    created: i64,
) -> Result<i64, sqlx::Error> {
    let course = sqlx::query(
        "INSERT INTO courses (slug, organisation_id, title, summary, language, estimated_hours, status, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 'published', $7, $7) RETURNING id",
    )
    .bind(c.slug)
    .bind(org)
    .bind(c.title)
    .bind(c.summary)
    .bind(c.language)
    .bind(c.hours)
    .bind(created)
    .fetch_one(&mut **tx)
    .await?
    .get::<i64, _>(0);
    for (mi, (module_title, lessons)) in c.modules.iter().enumerate() {
        let module = sqlx::query(
            "INSERT INTO course_modules (course_id, position, title) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(course)
        .bind(mi as i64 + 1)
        .bind(*module_title)
        .fetch_one(&mut **tx)
        .await?
        .get::<i64, _>(0);
        for (li, (title, body)) in lessons.iter().enumerate() {
            sqlx::query("INSERT INTO lessons (module_id, position, title, body_md) VALUES ($1, $2, $3, $4)")
                .bind(module)
                .bind(li as i64 + 1)
                .bind(*title)
                .bind(*body)
                .execute(&mut **tx)
                .await?;
        }
    }
    Ok(course)
}
