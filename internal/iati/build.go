package iati

import "strconv"

// build maps a checked iati-activity to an Activity: defaults of the Standard applied
// (hierarchy 1, sector, region and policy-marker vocabulary 1), the activity's
// default-currency given to values without their own, narratives given the activity's or the
// file's language when they state none.
func (s *scanner) build(a *element) *Activity {
	lang := a.get("lang")
	if lang == "" {
		lang = s.fileLang
	}
	b := activityBuilder{lang: lang, currency: a.get("default-currency")}
	act := &Activity{
		File:            s.name,
		Line:            a.line,
		LastUpdated:     a.get("last-updated-datetime"),
		DefaultLang:     lang,
		DefaultCurrency: b.currency,
		Hierarchy:       1,
		Status:          codeOf(a.child("activity-status")),
		Scope:           codeOf(a.child("activity-scope")),
	}
	if id := a.child("iati-identifier"); id != nil {
		act.Identifier = id.trimmedText()
	}
	if h, err := strconv.Atoi(a.get("hierarchy")); err == nil {
		act.Hierarchy = h
	}
	if v, ok := parseBool(a.get("humanitarian")); ok {
		act.Humanitarian = &v
	}
	if org := a.child("reporting-org"); org != nil {
		act.ReportingOrg = b.org(org, "")
	}
	for _, c := range a.children {
		switch c.name {
		case "title":
			act.Titles = append(act.Titles, b.narratives(c)...)
		case "description":
			act.Descriptions = append(act.Descriptions, Description{Type: c.get("type"), Narratives: b.narratives(c)})
		case "participating-org":
			act.Participants = append(act.Participants, Participant{OrgRef: b.org(c, "activity-id"), Role: c.get("role"), Line: c.line})
		case "activity-date":
			day, _ := parseDate(c.get("iso-date"))
			act.Dates = append(act.Dates, ActivityDate{Type: c.get("type"), ISODate: day})
		case "recipient-country":
			act.Countries = append(act.Countries, Recipient{Code: c.get("code"), Percentage: percentageOf(c), Names: b.narratives(c), Line: c.line})
		case "recipient-region":
			act.Regions = append(act.Regions, Recipient{Code: c.get("code"), Vocabulary: vocabularyOf(c), Percentage: percentageOf(c), Names: b.narratives(c), Line: c.line})
		case "sector":
			act.Sectors = append(act.Sectors, Sector{Vocabulary: vocabularyOf(c), Code: c.get("code"), Percentage: percentageOf(c), Names: b.narratives(c), Line: c.line})
		case "tag":
			act.Tags = append(act.Tags, Tag{Vocabulary: c.get("vocabulary"), Code: c.get("code"), Narratives: b.narratives(c)})
		case "policy-marker":
			act.PolicyMarkers = append(act.PolicyMarkers, PolicyMarker{Vocabulary: vocabularyOf(c), Code: c.get("code"), Significance: c.get("significance")})
		case "budget":
			act.Budgets = append(act.Budgets, Budget{
				Type:        c.get("type"),
				Status:      c.get("status"),
				PeriodStart: dateOf(c.child("period-start")),
				PeriodEnd:   dateOf(c.child("period-end")),
				Value:       b.money(c.child("value")),
				Line:        c.line,
			})
		case "transaction":
			act.Transactions = append(act.Transactions, b.transaction(c))
		case "related-activity":
			act.Related = append(act.Related, RelatedActivity{Type: c.get("type"), Ref: c.get("ref"), Line: c.line})
		}
	}
	return act
}

// activityBuilder carries the activity's defaults while its parts are built.
type activityBuilder struct {
	lang     string
	currency string
}

func (b activityBuilder) narratives(e *element) []Narrative {
	var out []Narrative
	for _, c := range e.children {
		if c.name != "narrative" {
			continue
		}
		lang := c.get("lang")
		if lang == "" {
			lang = b.lang
		}
		out = append(out, Narrative{Lang: lang, Text: c.trimmedText()})
	}
	return out
}

// org builds an organisation; activityIDAttr names the attribute holding its activity's
// identifier ("" when the element has none).
func (b activityBuilder) org(e *element, activityIDAttr string) OrgRef {
	org := OrgRef{Ref: e.get("ref"), Type: e.get("type"), Names: b.narratives(e)}
	if activityIDAttr != "" {
		org.ActivityID = e.get(activityIDAttr)
	}
	return org
}

func (b activityBuilder) money(e *element) Money {
	if e == nil {
		return Money{}
	}
	amount, _ := parseDecimal(e.trimmedText())
	currency := e.get("currency")
	if currency == "" {
		currency = b.currency
	}
	day, _ := parseDate(e.get("value-date"))
	return Money{Amount: amount, Currency: currency, ValueDate: day}
}

func (b activityBuilder) transaction(e *element) Transaction {
	t := Transaction{
		Type:  codeOf(e.child("transaction-type")),
		Date:  dateOf(e.child("transaction-date")),
		Value: b.money(e.child("value")),
		Line:  e.line,
	}
	if p := e.child("provider-org"); p != nil {
		org := b.org(p, "provider-activity-id")
		t.Provider = &org
	}
	if r := e.child("receiver-org"); r != nil {
		org := b.org(r, "receiver-activity-id")
		t.Receiver = &org
	}
	return t
}

func codeOf(e *element) string {
	if e == nil {
		return ""
	}
	return e.get("code")
}

func dateOf(e *element) string {
	if e == nil {
		return ""
	}
	day, _ := parseDate(e.get("iso-date"))
	return day
}

func percentageOf(e *element) *float64 {
	p, ok := parseDecimal(e.get("percentage"))
	if !ok {
		return nil
	}
	return &p
}
