// Command iatigen writes a synthetic IATI 2.03 activity file of any size, for measuring imports:
// activities of one publisher across the curated seed's countries, with funders, implementers,
// sectors, budgets, commitments, disbursements and parent/child links.
//
//	go run ./tools/iatigen -activities 50000 -o .local/iati-50000.xml
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
)

var (
	countries = []string{"SN", "ML", "NE", "NG", "ET", "ER", "SO", "SD", "KE", "UG", "LY", "TN", "MA", "EG", "GH", "CI", "BF", "TD", "MR", "GM"}
	sectors   = []string{"15190", "72010", "24050", "11330", "16020", "15130", "15160", "43072"}
	funders   = [][2]string{{"XM-DAC-918-3", "European Union"}, {"XM-DAC-5-7", "Federal Ministry for Economic Cooperation and Development"}, {"XM-DAC-7", "Government of the Netherlands"}}
	doers     = [][2]string{{"XM-DAC-47066", "International Organization for Migration"}, {"XM-DAC-41121", "UNHCR"}, {"DE-1", "GIZ"}, {"", "Caritas Niger"}, {"", "Danish Refugee Council"}}
)

func main() {
	n := flag.Int("activities", 50000, "number of activities")
	out := flag.String("o", "", "file to write (default stdout)")
	flag.Parse()
	f := os.Stdout
	if *out != "" {
		var err error
		if f, err = os.Create(*out); err != nil {
			fmt.Fprintln(os.Stderr, "iatigen:", err)
			os.Exit(1)
		}
	}
	w := bufio.NewWriterSize(f, 1<<20)
	fmt.Fprintln(w, `<?xml version="1.0" encoding="UTF-8"?>`)
	fmt.Fprintln(w, `<iati-activities version="2.03" generated-datetime="2026-01-01T00:00:00Z" xml:lang="en">`)
	for i := range *n {
		parent := i%10 == 0
		id := fmt.Sprintf("XM-DAC-918-3-SYN-%07d", i)
		fu, d1, d2 := funders[i%len(funders)], doers[i%len(doers)], doers[(i/7)%len(doers)]
		c1, c2 := countries[i%len(countries)], countries[(i/3+1)%len(countries)]
		hierarchy := 2
		related := fmt.Sprintf(`<related-activity ref="XM-DAC-918-3-SYN-%07d" type="1"/>`, i-i%10)
		if parent {
			hierarchy = 1
			related = ""
		}
		ref := func(r string) string {
			if r == "" {
				return ""
			}
			return ` ref="` + r + `"`
		}
		fmt.Fprintf(w, `  <iati-activity default-currency="EUR" hierarchy="%d" last-updated-datetime="2025-%02d-15T12:00:00Z">
    <iati-identifier>%s</iati-identifier>
    <reporting-org ref="XM-DAC-918-3" type="15"><narrative>European Commission</narrative></reporting-org>
    <title><narrative>Migration programme %d: protection, return and reintegration</narrative><narrative xml:lang="fr">Programme migratoire %d</narrative></title>
    <description type="1"><narrative>Assistance to migrants, shelter, voluntary return and reintegration in %s and %s.</narrative></description>
    <participating-org%s type="10" role="1"><narrative>%s</narrative></participating-org>
    <participating-org%s type="40" role="4"><narrative>%s</narrative></participating-org>
    <participating-org%s type="21" role="4"><narrative>%s</narrative></participating-org>
    <activity-status code="%d"/>
    <activity-date type="1" iso-date="20%02d-01-01"/>
    <activity-date type="3" iso-date="20%02d-12-31"/>
    <recipient-country code="%s" percentage="60"/>
    <recipient-country code="%s" percentage="40"/>
    <sector code="%s" percentage="70"/>
    <sector code="%s" percentage="30"/>
    <tag vocabulary="3" code="10.7"/>
    <budget type="1" status="2"><period-start iso-date="2021-01-01"/><period-end iso-date="2021-12-31"/><value value-date="2021-01-01">%d</value></budget>
    <transaction><transaction-type code="2"/><transaction-date iso-date="2021-01-20"/><value value-date="2021-01-20">%d</value><provider-org%s><narrative>%s</narrative></provider-org></transaction>
    <transaction><transaction-type code="3"/><transaction-date iso-date="2021-03-01"/><value value-date="2021-03-01">250000.50</value></transaction>
    %s
  </iati-activity>
`, hierarchy, 1+i%12, id, i, i, c1, c2, ref(fu[0]), fu[1], ref(d1[0]), d1[1], ref(d2[0]), d2[1], 2+i%3, 15+i%8, 20+i%8,
			c1, c2, sectors[i%len(sectors)], sectors[(i+3)%len(sectors)], 1000000+i*10, 900000+i*10, ref(fu[0]), fu[1], related)
	}
	fmt.Fprintln(w, `</iati-activities>`)
	if err := w.Flush(); err != nil {
		fmt.Fprintln(os.Stderr, "iatigen:", err)
		os.Exit(1)
	}
}
