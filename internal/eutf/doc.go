// Package eutf reads the EU Trust Fund for Africa's Akvo export (seed/eutf) as IATI activities, reporting every problem and notice by file, line and field.
package eutf
