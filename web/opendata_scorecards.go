package web

// The agencies' scorecards (agencies.go) are open data too: listed on the
// open-data page with the other files, in CSV, JSON and XLSX, and
// described in the dictionary.
func init() { datasets = append(datasets, scorecardsDataset) }
