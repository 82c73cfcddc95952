// Package sheet brings spreadsheets in: downloadable XLSX templates for
// onboarding a portfolio (agencies, laws, projects with their agencies,
// mandates and deliverables, memberships) and for an agency's monthly
// figures (progress reports per Jalali month, milestone progress, indicator
// values, risks); reading XLSX and CSV files into domain records; and a
// validation report by sheet, row and column, downloadable as the same
// workbook with an errors column.
//
// It is the pure core of spreadsheet import: it knows no database and no
// HTTP, and imports only domain and jalali. domain stays the source of
// truth: each row is built into its domain record (domain.Agency,
// domain.Law, domain.Project, domain.MembershipEvent, domain.Report) and
// checked by that record's Validate, whose error is reported at the cell of
// the field at fault ("title.fa" → the Persian title column, a
// deliverable's fault → its row on the deliverables sheet). Validate stops
// at a record's first fault, so a row with two faults of that kind shows
// the second once the first is fixed; every fault found while reading cells
// (a bad date, an unknown value, a missing cell, an unknown reference) is
// reported at once.
//
// # How the integration uses it: upload → report → preview → apply
//
//  1. Template: RegistryTemplate / FiguresTemplate, with Known filled from
//     the registry (for an agency's figures template, only its own projects,
//     and FigureLine rows prefilled with their milestones and indicators).
//  2. Upload: Read the file (the caller limits the request body too; Read
//     refuses more than MaxFileBytes), then ReadRegistry or ReadFigures with
//     Known. For figures, Known.Projects must be the projects the person may
//     report on — a row naming another project is an issue — which is how
//     "an agency may import only its own figures" holds.
//  3. Check against the database what the file cannot know — a slug already
//     taken (or, for an update, the record's version), a milestone or
//     indicator title the project does not have, a report for that month
//     already submitted — and add each finding with Report.Add at the
//     record's Loc and column key, so it shows at its cell like the others.
//  4. If the report has any issue, show it (Issue.Where and Message in the
//     person's language) and offer Annotate's workbook; change nothing.
//  5. Otherwise show the preview: what would be created and changed, from
//     the Registry or Figures values. Keep the file's SHA-256 with the
//     preview; apply only the file with that digest (re-read it), so what
//     is applied is what was previewed.
//  6. Apply all or nothing: every record in one transaction (re-checking
//     versions inside it, so a stale preview is refused), audited as one
//     import event that names the file's digest and its counts; an error
//     rolls back everything.
//
// # What cells may hold
//
// Digits may be Persian, Arabic-Indic or ASCII; dates Jalali (1402/09/19),
// ISO (2023-12-10) or Excel date cells; months Jalali (1405-08 or «آبان
// ۱۴۰۵»); numbers may use the Persian separators ٬ and ٫; enum cells take
// the code, either label or the drop-down's «label (code)»; references take
// the identifier, the drop-down's «name (code)» or the name. See
// normalize.go for what is done to the letters of each kind of cell.
// Headers are matched in either language, so a sheet of one's own with
// English (or Persian) headers only is read the same; sheets are found by
// name in either language, else by their headers (a CSV file).
//
// Row numbers in the report are Excel's: blank rows count, nothing is
// renumbered, and the annotated workbook adds no row.
package sheet
