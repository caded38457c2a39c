// report.html: runs tools/report/make_report.py on an output folder's summary.json.
#pragma once
#include <string>

namespace flecsim {

// Runs the generator with /usr/bin/python3 (FLECSIM_PYTHON overrides). Returns false, after
// printing a warning, when python3 or matplotlib is missing or the script fails: a missing
// report never fails a run. FLECSIM_NO_REPORT=1 skips it silently.
bool write_html_report(const std::string& dir);

}  // namespace flecsim
