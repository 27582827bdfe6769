package iati

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"
)

// writeLargeFile writes a clean 2.03 file of n activities, each with participants, sectors,
// a budget and three transactions, and returns its path and size.
func writeLargeFile(tb testing.TB, n int) (string, int64) {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "large.xml")
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	w := bufio.NewWriter(f)
	fmt.Fprintln(w, `<?xml version="1.0" encoding="UTF-8"?>`)
	fmt.Fprintln(w, `<iati-activities version="2.03" generated-datetime="2024-03-01T09:30:00Z" xml:lang="en">`)
	for i := range n {
		fmt.Fprintf(w, `  <iati-activity default-currency="EUR" hierarchy="2" last-updated-datetime="2024-02-15T12:00:00Z">
    <iati-identifier>XM-DAC-918-3-PG-MIG-%06d</iati-identifier>
    <reporting-org ref="XM-DAC-918-3" type="40"><narrative>European Commission</narrative></reporting-org>
    <title><narrative>Migrant protection and return, lot %d</narrative><narrative xml:lang="fr">Protection des migrants, lot %d</narrative></title>
    <description type="1"><narrative>Assistance to stranded migrants, shelter, medical care and voluntary return.</narrative></description>
    <participating-org ref="XM-DAC-918-3" type="40" role="1"><narrative>European Union</narrative></participating-org>
    <participating-org ref="XM-DAC-47066" type="40" role="4"><narrative>International Organization for Migration</narrative></participating-org>
    <activity-status code="2"/>
    <activity-date type="1" iso-date="2021-01-01"/>
    <activity-date type="3" iso-date="2024-12-31"/>
    <recipient-country code="NE" percentage="60"/>
    <recipient-country code="LY" percentage="40"/>
    <sector code="15190" percentage="80"/>
    <sector code="72010" percentage="20"/>
    <budget type="1" status="2"><period-start iso-date="2021-01-01"/><period-end iso-date="2021-12-31"/><value value-date="2021-01-01">1500000</value></budget>
    <transaction><transaction-type code="2"/><transaction-date iso-date="2021-01-20"/><value value-date="2021-01-20">%d</value><receiver-org ref="XM-DAC-47066"><narrative>IOM</narrative></receiver-org></transaction>
    <transaction><transaction-type code="3"/><transaction-date iso-date="2021-03-01"/><value value-date="2021-03-01">250000.50</value></transaction>
    <transaction><transaction-type code="3"/><transaction-date iso-date="2021-09-01"/><value value-date="2021-09-01">250000.50</value></transaction>
    <result type="1"><title><narrative>Migrants assisted</narrative></title><indicator measure="1"><title><narrative>Number of migrants assisted</narrative></title></indicator></result>
    <related-activity ref="XM-DAC-918-3-PG-MIG" type="1"/>
  </iati-activity>
`, i, i, i, 1000000+i)
	}
	fmt.Fprintln(w, `</iati-activities>`)
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	info, err := f.Stat()
	if err != nil {
		tb.Fatal(err)
	}
	if err := f.Close(); err != nil {
		tb.Fatal(err)
	}
	return path, info.Size()
}

// heapSampler records the highest HeapAlloc seen while a reading runs (garbage included).
type heapSampler struct {
	stop chan struct{}
	done sync.WaitGroup
	peak uint64
}

func startHeapSampler() *heapSampler {
	s := &heapSampler{stop: make(chan struct{})}
	s.done.Add(1)
	go func() {
		defer s.done.Done()
		ticker := time.NewTicker(5 * time.Millisecond)
		defer ticker.Stop()
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			s.peak = max(s.peak, m.HeapAlloc)
			select {
			case <-s.stop:
				return
			case <-ticker.C:
			}
		}
	}()
	return s
}

func (s *heapSampler) finish() uint64 {
	close(s.stop)
	s.done.Wait()
	return s.peak
}

func liveHeap() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

const mib = 1 << 20

// TestLargeFileIsStreamedInBoundedMemory reads a generated 50,000-activity file with Check and
// Each and asserts that the live heap stays bounded: only the identifiers seen grow with the
// file (a few tens of bytes each), not the activities.
func TestLargeFileIsStreamedInBoundedMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("generates a 50,000-activity file")
	}
	const activities = 50000
	path, size := writeLargeFile(t, activities)
	if _, err := LoadCodes(); err != nil {
		t.Fatal(err)
	}
	baseline := liveHeap()

	sampler := startHeapSampler()
	start := time.Now()
	report, err := Check(path, Options{})
	checkTime := time.Since(start)
	checkPeak := sampler.finish()
	if err != nil {
		t.Fatal(err)
	}
	if !report.OK() || report.NoticeCount != 0 || report.Activities != activities {
		t.Fatalf("activities %d, errors %d, notices %d:\n%s", report.Activities, report.ErrorCount, report.NoticeCount, listProblems(append(report.Errors, report.Notices...)))
	}
	report = nil

	// Live heap sampled (after a collection) at a few points of the reading.
	var live []uint64
	handed := 0
	sampler = startHeapSampler()
	start = time.Now()
	err = Each(path, Options{}, func(a *Activity) error {
		handed++
		if handed%10000 == 0 {
			live = append(live, liveHeap())
		}
		return nil
	})
	eachTime := time.Since(start)
	eachPeak := sampler.finish()
	if err != nil {
		t.Fatal(err)
	}
	if handed != activities {
		t.Fatalf("Each handed out %d activities; want %d", handed, activities)
	}
	after := liveHeap()

	t.Logf("file %.1f MiB, %d activities", float64(size)/mib, activities)
	t.Logf("Check: %v, %.0f activities/s, heap peak %.1f MiB above a baseline of %.1f MiB (garbage included)",
		checkTime.Round(time.Millisecond), activities/checkTime.Seconds(), mibAbove(checkPeak, baseline), float64(baseline)/mib)
	t.Logf("Each:  %v, %.0f activities/s, heap peak %.1f MiB above baseline", eachTime.Round(time.Millisecond), activities/eachTime.Seconds(), mibAbove(eachPeak, baseline))
	for i, l := range live {
		t.Logf("live heap after %d activities: %.2f MiB above baseline", (i+1)*10000, mibAbove(l, baseline))
	}
	t.Logf("live heap after reading: %.2f MiB above baseline", mibAbove(after, baseline))

	const bound = 4 * mib // the identifier set of 50,000 activities is about 2 MiB
	for i, l := range live {
		if l > baseline+bound {
			t.Errorf("live heap after %d activities is %.1f MiB above baseline; want below %d MiB", (i+1)*10000, mibAbove(l, baseline), bound/mib)
		}
	}
	if after > baseline+mib {
		t.Errorf("live heap after reading is %.1f MiB above baseline; the reading keeps memory", mibAbove(after, baseline))
	}
	if uint64(size) < 20*mib {
		t.Fatalf("the generated file is only %d bytes", size)
	}
}

func mibAbove(v, baseline uint64) float64 {
	if v < baseline {
		return 0
	}
	return float64(v-baseline) / mib
}

func BenchmarkCheck50000(b *testing.B) {
	path, size := writeLargeFile(b, 50000)
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Check(path, Options{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(50000*float64(b.N)/b.Elapsed().Seconds(), "activities/s")
}

func BenchmarkEach50000(b *testing.B) {
	path, size := writeLargeFile(b, 50000)
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		if err := Each(path, Options{}, func(*Activity) error { return nil }); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(50000*float64(b.N)/b.Elapsed().Seconds(), "activities/s")
}

// FuzzCheck: no input makes the reader panic, and every problem is located.
func FuzzCheck(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/examples/*/*.xml")
	seeds = append(seeds, "testdata/full-2.03.xml")
	for _, path := range seeds {
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`<iati-activities version="1.05"/>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, fn := range []func(*Activity) error{nil, func(*Activity) error { return nil }} {
			report, err := read("fuzz.xml", bytes.NewReader(data), Options{}, fn)
			if err != nil {
				t.Fatalf("an in-memory reading failed: %v", err)
			}
			for _, p := range append(report.Errors, report.Notices...) {
				if p.Line < 1 || p.Message == "" {
					t.Fatalf("unlocated problem %+v", p)
				}
			}
		}
	})
}
