package store

import (
	"fmt"

	"github.com/partnership-graph/partnership-graph/graph/model"
	"github.com/partnership-graph/partnership-graph/internal/analysis"
)

// props reads typed values out of a node's or relationship's property map. The first property
// that is missing or of the wrong type is remembered in err, so a mapping function can read all
// fields and check once.
type props struct {
	m   map[string]any
	err error
}

func (p *props) fail(key, want string) {
	if p.err == nil {
		p.err = fmt.Errorf("property %q: want %s, have %T", key, want, p.m[key])
	}
}

func (p *props) str(key string) string {
	v, ok := p.m[key].(string)
	if !ok {
		p.fail(key, "string")
	}
	return v
}

func (p *props) optStr(key string) *string {
	switch v := p.m[key].(type) {
	case nil:
		return nil
	case string:
		return &v
	default:
		p.fail(key, "string or nothing")
		return nil
	}
}

func (p *props) optFloat(key string) *float64 {
	switch v := p.m[key].(type) {
	case nil:
		return nil
	case float64:
		return &v
	case int64:
		f := float64(v)
		return &f
	default:
		p.fail(key, "number or nothing")
		return nil
	}
}

func (p *props) boolean(key string) bool {
	switch v := p.m[key].(type) {
	case nil:
		return false
	case bool:
		return v
	default:
		p.fail(key, "boolean")
		return false
	}
}

func (p *props) strList(key string) []string {
	switch v := p.m[key].(type) {
	case nil:
		return []string{}
	case []any:
		out := make([]string, 0, len(v))
		for _, e := range v {
			s, ok := e.(string)
			if !ok {
				p.fail(key, "list of strings")
				return []string{}
			}
			out = append(out, s)
		}
		return out
	default:
		p.fail(key, "list of strings")
		return []string{}
	}
}

// money reads an amount, its currency and the date it was stated, from three properties.
func (p *props) money(amountKey, currencyKey, asOfKey string) *model.Money {
	amount := p.optDecimal(amountKey)
	if amount == nil {
		return nil
	}
	return &model.Money{Amount: *amount, Currency: p.str(currencyKey), AsOf: p.optStr(asOfKey)}
}

// optDecimal reads a stored number as the decimal it was written as (model.DecimalFromFloat).
func (p *props) optDecimal(key string) *model.Decimal {
	f := p.optFloat(key)
	if f == nil {
		return nil
	}
	d := model.DecimalFromFloat(*f)
	return &d
}

// optInt64 reads an integer or nothing.
func (p *props) optInt64(key string) *int64 {
	switch v := p.m[key].(type) {
	case nil:
		return nil
	case int64:
		return &v
	default:
		p.fail(key, "integer or nothing")
		return nil
	}
}

// part reads a {num, den} map of integers (sharePart) into an analysis.Part.
func (p *props) part(key string) analysis.Part {
	m, ok := p.m[key].(map[string]any)
	if !ok {
		p.fail(key, "a part {num, den}")
		return analysis.Whole
	}
	num, okNum := m["num"].(int64)
	den, okDen := m["den"].(int64)
	if !okNum || !okDen || den <= 0 {
		p.fail(key, "a part {num, den} with den > 0")
		return analysis.Whole
	}
	return analysis.Part{Num: num, Den: den}
}

// sources reads the parallel lists sourceIds, sourceLocators and sourceStatuses.
func (p *props) sources() []*model.SourceRef {
	ids := p.strList("sourceIds")
	locators := p.strList("sourceLocators")
	statuses := p.strList("sourceStatuses")
	refs := make([]*model.SourceRef, 0, len(ids))
	for i, id := range ids {
		ref := &model.SourceRef{SourceID: id, Status: model.VerificationStatusUnverified}
		if i < len(locators) && locators[i] != "" {
			loc := locators[i]
			ref.Locator = &loc
		}
		if i < len(statuses) {
			ref.Status = enum(p, "sourceStatuses", model.VerificationStatus(statuses[i]))
		}
		refs = append(refs, ref)
	}
	return refs
}

// enum checks that a stored value is one of the schema's enum values.
func enum[E interface {
	~string
	IsValid() bool
}](p *props, key string, v E) E {
	if !v.IsValid() {
		p.fail(key, "a known enum value")
	}
	return v
}

func optEnum[E interface {
	~string
	IsValid() bool
}](p *props, key string) *E {
	s := p.optStr(key)
	if s == nil {
		return nil
	}
	v := enum(p, key, E(*s))
	return &v
}
