// Package iati reads IATI activity files (versions 2.01 to 2.03) as a stream of activities,
// checked against the rules of the Standard that matter for the graph and against the code
// lists shipped with the project, with every problem located by file, line and element.
package iati

// Narrative is one text of an element in one language ("" when the file states none and has no
// default language).
type Narrative struct {
	Lang string
	Text string
}

// Money is a value in one currency, as stated (never converted).
type Money struct {
	Amount    float64
	Currency  string // ISO 4217, from the value or the activity's default-currency
	ValueDate string // YYYY-MM-DD
}

// OrgRef names an organisation as a file does: an IATI organisation identifier, a type code,
// and names.
type OrgRef struct {
	Ref        string // IATI organisation identifier, such as XM-DAC-41122; may be empty
	Type       string // OrganisationType code; may be empty
	Names      []Narrative
	ActivityID string // provider-activity-id / receiver-activity-id / activity-id
}

// Participant is one participating-org: role 1 funding, 2 accountable, 3 extending, 4 implementing.
type Participant struct {
	OrgRef
	Role string
	Line int
}

// Description is one description element (type 1 general, 2 objectives, 3 target groups...).
type Description struct {
	Type       string
	Narratives []Narrative
}

// ActivityDate is one activity-date: type 1 planned start, 2 actual start, 3 planned end, 4 actual end.
type ActivityDate struct {
	Type    string
	ISODate string // YYYY-MM-DD
}

// Recipient is a recipient-country (Vocabulary empty) or recipient-region, with its share.
type Recipient struct {
	Code       string
	Vocabulary string   // regions only: RegionVocabulary code ("1" OECD DAC by default)
	Percentage *float64 // nil when the file states none
	Names      []Narrative
	Line       int
}

// Sector is one sector, in its vocabulary (1 DAC 5-digit, 2 DAC 3-digit, others kept as codes).
type Sector struct {
	Vocabulary string // SectorVocabulary code; "1" when the file states none
	Code       string
	Percentage *float64
	Names      []Narrative
	Line       int
}

// Budget is one budget element.
type Budget struct {
	Type        string // BudgetType: 1 original, 2 revised
	Status      string // BudgetStatus: 1 indicative, 2 committed
	PeriodStart string
	PeriodEnd   string
	Value       Money
	Line        int
}

// Transaction is one transaction: type 2 outgoing commitment, 3 disbursement, 4 expenditure...
type Transaction struct {
	Type     string // TransactionType code
	Date     string // transaction-date iso-date
	Value    Money
	Provider *OrgRef
	Receiver *OrgRef
	Line     int
}

// RelatedActivity links to another activity: type 1 parent, 2 child, 3 sibling, 4 co-funded,
// 5 third party.
type RelatedActivity struct {
	Type string
	Ref  string // the other activity's iati-identifier
	Line int
}

// Tag is one tag, in its vocabulary.
type Tag struct {
	Vocabulary string
	Code       string
	Narratives []Narrative
}

// PolicyMarker is one policy-marker with its significance.
type PolicyMarker struct {
	Vocabulary   string
	Code         string
	Significance string
}

// Activity is one iati-activity as the importer needs it. Codes are kept as the file writes
// them; the reader has checked them (or reported them) before an Activity is handed out.
type Activity struct {
	File        string // the file it was read from, as given
	Line        int    // line of its iati-activity element
	Identifier  string // iati-identifier, trimmed
	LastUpdated string // last-updated-datetime as written (xsd:dateTime), "" when absent
	DefaultLang string // xml:lang of the activity (or of the file)
	// DefaultCurrency is the activity's default-currency; values without their own currency use it.
	DefaultCurrency string
	Humanitarian    *bool
	Hierarchy       int // 1 when absent
	ReportingOrg    OrgRef
	Titles          []Narrative
	Descriptions    []Description
	Status          string // ActivityStatus code
	Scope           string // ActivityScope code, "" when absent
	Dates           []ActivityDate
	Participants    []Participant
	Countries       []Recipient
	Regions         []Recipient
	Sectors         []Sector
	Budgets         []Budget
	Transactions    []Transaction
	Related         []RelatedActivity
	Tags            []Tag
	PolicyMarkers   []PolicyMarker
}
