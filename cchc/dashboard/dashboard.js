/* The officer's dashboard: draws the rows cchc/dashboard embedded (#dashboard-data) for
 * the era, province and period chosen. Only lays out what the reporting models hold;
 * numbers and dates are written the Vietnamese way (the same rules as cchc/dashboard/fmt.py).
 * No network: plotly is inlined beside this script. */
(function () {
  "use strict";

  const DATA = JSON.parse(document.getElementById("dashboard-data").textContent);
  const P = DATA.parts;
  const ERA_LABEL = {
    "63": "63 tỉnh, thành phố (trước 1/7/2025)",
    "34": "34 tỉnh, thành phố (từ 1/7/2025)",
  };
  const COLOURS = { chosen: "#c62828", other: "#1565c0" };
  const LINE_COLOURS = ["#1565c0", "#2e7d32", "#ef6c00", "#6a1b9a", "#00838f", "#ad1457"];

  // ------------------------------------------------------------ formatting

  function groupThousands(digits) {
    return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  }

  function fmtNumber(value) {
    if (value === null || value === undefined || Number.isNaN(value)) return "—";
    const sign = value < 0 ? "-" : "";
    const abs = Math.abs(value);
    if (Number.isInteger(abs)) return sign + groupThousands(String(abs));
    let text = abs.toFixed(2).replace(/0+$/, "").replace(/\.$/, "");
    const [whole, decimals] = text.split(".");
    text = groupThousands(whole) + (decimals ? "," + decimals : "");
    return sign + text;
  }

  function fmtValue(value, unit) {
    const text = fmtNumber(value);
    return unit === "percent" && text !== "—" ? text + "%" : text;
  }

  function fmtDate(iso) {
    if (!iso) return "";
    const [y, m, d] = iso.slice(0, 10).split("-");
    return `${d}/${m}/${y}`;
  }

  function sourcesText(sources) {
    if (!sources || !sources.length) return "";
    return sources.map((s) => `${s.file_path}, dòng ${s.source_line}`).join("; ");
  }

  function linesText(file, lines) {
    if (!file) return "";
    return lines ? `${file}, dòng ${lines}` : file;
  }

  // ------------------------------------------------------------ DOM helpers

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "class") node.className = value;
      else if (key.startsWith("data-")) node.setAttribute(key, value);
      else node.setAttribute(key, value);
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function table(id, headers, rows) {
    return el(
      "table",
      { id: id, class: "grid" },
      el("thead", {}, el("tr", {}, headers.map((h) => el("th", {}, h)))),
      el("tbody", {}, rows)
    );
  }

  function note(id, text) {
    return el("p", { id: id, class: "no-data" }, text);
  }

  function fill(id, ...children) {
    const node = document.getElementById(id);
    node.replaceChildren(...children.flat());
    return node;
  }

  // ------------------------------------------------------------ state

  const state = { era: null, province: null, period: null, indicator: null };

  function provinceOf(key) {
    return P.provinces.find((p) => p.province_key === key);
  }

  function inScope(row) {
    if (state.era === "63") return row.province_key === state.province;
    return row.province_2025_key === state.province;
  }

  function inChoice(row) {
    return inScope(row) && row.period_key === state.period;
  }

  function hasData(provinceKey, era) {
    const saved = { era: state.era, province: state.province };
    state.era = era;
    state.province = provinceKey;
    const found =
      P.coverage.some(inScope) ||
      P.findings.some(inScope) ||
      P.comparison.some((r) => r.era === era && r.province_key === provinceKey);
    state.era = saved.era;
    state.province = saved.province;
    return found;
  }

  function periodsFor(era) {
    return P.periods.filter((p) => era === "34" || p.era === "63");
  }

  function periodHasData(periodKey) {
    const here = (r) => inScope(r) && r.period_key === periodKey;
    return P.coverage.some(here) || P.findings.some(here) || P.set_aside.some(here);
  }

  function readHash() {
    const params = new URLSearchParams(location.hash.slice(1));
    return {
      era: params.get("era"),
      province: params.get("province"),
      period: params.get("period"),
    };
  }

  function writeHash() {
    const params = new URLSearchParams({
      era: state.era,
      province: state.province || "",
      period: state.period || "",
    });
    history.replaceState(null, "", "#" + params.toString());
  }

  // ------------------------------------------------------------ choices

  function fillEra() {
    const select = document.getElementById("choose-era");
    select.replaceChildren(
      ...["34", "63"].map((era) => el("option", { value: era }, ERA_LABEL[era]))
    );
    select.value = state.era;
  }

  function provinceLabel(p) {
    const twins = P.provinces.filter((q) => q.era === p.era && q.name_vi === p.name_vi);
    if (twins.length < 2) return p.name_vi;
    return `${p.name_vi} (${fmtDate(p.valid_from)}–${fmtDate(p.valid_to) || "nay"})`;
  }

  function fillProvinces() {
    const select = document.getElementById("choose-province");
    const provinces = P.provinces.filter((p) => p.era === state.era);
    select.replaceChildren(
      ...provinces.map((p) =>
        el(
          "option",
          { value: p.province_key },
          provinceLabel(p) + (hasData(p.province_key, state.era) ? " •" : "")
        )
      )
    );
    if (!provinces.some((p) => p.province_key === state.province)) {
      const withData = provinces.find((p) => hasData(p.province_key, state.era));
      state.province = (withData || provinces[0] || {}).province_key || null;
    }
    select.value = state.province;
  }

  function fillPeriods() {
    const select = document.getElementById("choose-period");
    const periods = periodsFor(state.era);
    select.replaceChildren(
      ...periods.map((p) =>
        el(
          "option",
          { value: p.period_key },
          p.label_vi + (periodHasData(p.period_key) ? " •" : "")
        )
      )
    );
    if (!periods.some((p) => p.period_key === state.period)) {
      const withData = periods.find((p) => periodHasData(p.period_key));
      state.period = (withData || periods[0] || {}).period_key || null;
    }
    select.value = state.period;
  }

  // ------------------------------------------------------------ parts

  function drawHeading() {
    const province = provinceOf(state.province);
    const period = P.periods.find((p) => p.period_key === state.period);
    const text = province
      ? `${province.province_type === "city" ? "Thành phố" : "Tỉnh"} ${province.name_vi}` +
        (period ? ` — ${period.label_vi} (hạn gửi ${fmtDate(period.due_date)})` : "")
      : "Chưa có số liệu";
    fill("chosen", text);
    const merged = state.era === "34"
      ? P.provinces.filter((p) => p.era === "63" && p.province_2025_key === state.province)
      : [];
    fill(
      "chosen-note",
      merged.length
        ? `Gồm số liệu của ${merged.map((p) => p.name_vi).join(", ")} trước ngày 1/7/2025.`
        : ""
    );
  }

  function drawSummary(coverage, findings, setAside) {
    const count = (pred) => coverage.filter(pred).length;
    const cards = [
      ["summary-expected", "Cơ quan phải báo cáo", coverage.length],
      ["summary-sent", "Đã gửi", count((r) => r.is_sent && !r.is_late)],
      ["summary-late", "Gửi muộn", count((r) => r.is_late)],
      ["summary-missing", "Chưa gửi", count((r) => !r.is_sent)],
      ["summary-errors", "Lỗi", findings.filter((r) => r.severity === "error").length],
      ["summary-warnings", "Cảnh báo", findings.filter((r) => r.severity === "warning").length],
      ["summary-set-aside", "Báo cáo bị gác lại", setAside.length],
    ];
    fill(
      "summary",
      cards.map(([id, label, n]) =>
        el("div", { class: "card", id: id }, el("b", { "data-value": n }, fmtNumber(n)), label)
      )
    );
  }

  function drawCoverage(rows) {
    if (!rows.length) {
      fill("coverage", note("table-coverage", "Chưa có danh sách cơ quan phải báo cáo cho lựa chọn này."));
      return;
    }
    fill(
      "coverage",
      table(
        "table-coverage",
        ["Cơ quan", "Tỉnh (khi báo cáo)", "Tình trạng", "Hạn gửi", "Ngày báo cáo", "Tệp", "Việc cần làm"],
        rows.map((r) =>
          el(
            "tr",
            { "data-status": r.coverage_status, class: "status-" + r.coverage_status.replace(/\W+/g, "-") },
            el("td", {}, r.agency_name_vi),
            el("td", {}, r.province_name_vi || ""),
            el("td", { class: "status" }, r.status_label_vi),
            el("td", {}, fmtDate(r.due_date)),
            el("td", {}, fmtDate(r.report_date)),
            el("td", { class: "source" }, r.file_path || ""),
            el("td", {}, r.what_to_do_vi || "")
          )
        )
      )
    );
  }

  function drawSetAside(rows, unplaced) {
    const parts = [];
    const line = (r) =>
      el(
        "tr",
        { "data-reason": r.reason_code },
        el("td", { class: "source" }, r.file_path),
        el("td", {}, r.agency_name_vi || "—"),
        el("td", {}, r.severity_label_vi),
        el("td", { class: "reason" }, r.reason_vi),
        el("td", {}, r.what_to_do_vi || ""),
        el("td", { class: "detail" }, r.detail || "")
      );
    const headers = ["Tệp", "Cơ quan", "Mức độ", "Lý do", "Việc cần làm", "Chi tiết kỹ thuật"];
    parts.push(
      rows.length
        ? table("table-set-aside", headers, rows.map(line))
        : note("table-set-aside", "Không có báo cáo nào của lựa chọn này bị gác lại.")
    );
    if (unplaced.length) {
      parts.push(
        el("h3", {}, "Tệp chưa xác định được tỉnh hoặc kỳ báo cáo (có thể là của tỉnh bạn)"),
        table("table-unplaced", headers, unplaced.map(line))
      );
    }
    fill("set-aside", parts);
  }

  function drawFindings(rows) {
    if (!rows.length) {
      fill("findings", note("findings-none", "Không có phát hiện nào về các báo cáo của lựa chọn này."));
      return;
    }
    const agencies = [...new Set(rows.map((r) => r.agency_name_vi))];
    fill(
      "findings",
      agencies.map((agency) => {
        const own = rows.filter((r) => r.agency_name_vi === agency);
        const errors = own.filter((r) => r.severity === "error").length;
        return el(
          "section",
          { class: "agency", "data-agency": agency },
          el("h3", {}, `${agency}: ${fmtNumber(errors)} lỗi, ${fmtNumber(own.length - errors)} cảnh báo`),
          table(
            null,
            ["Mức độ", "Quy tắc", "Chỉ tiêu", "Số đã báo cáo", "Số đúng ra phải là", "Diễn giải", "Tệp, dòng", "Rà soát"],
            own.map((r) =>
              el(
                "tr",
                { class: "finding sev-" + r.severity, "data-rule": r.rule_id },
                el("td", { class: "severity" }, r.severity_label_vi),
                el("td", {}, el("b", {}, r.rule_family_label_vi), el("br"), r.rule_label_vi),
                el("td", {}, [r.bnv_code, r.indicator_name_vi].filter(Boolean).join(" ")),
                el("td", { class: "num reported", "data-value": r.reported_value }, fmtValue(r.reported_value, r.unit_code)),
                el("td", { class: "num expected", "data-value": r.expected_value }, fmtValue(r.expected_value, r.unit_code)),
                el("td", {}, r.message_vi || "", r.what_to_do_vi ? el("div", { class: "todo" }, r.what_to_do_vi) : null),
                el("td", { class: "source" }, linesText(r.file_path, r.source_lines)),
                el("td", {}, r.review_status_label_vi)
              )
            )
          )
        );
      })
    );
  }

  function comparisonChart(rows) {
    const indicators = [...new Set(rows.map((r) => r.indicator_code))];
    const traces = [];
    const layout = {
      separators: ",.",
      showlegend: false,
      height: 120 + indicators.length * (60 + 28 * Math.max(1, new Set(rows.map((r) => r.province_key)).size)),
      margin: { l: 10, r: 60, t: 30, b: 30 },
      font: { family: "Arial, 'Noto Sans', sans-serif", size: 12 },
      annotations: [],
      grid: { rows: indicators.length, columns: 1, pattern: "independent", ygap: 0.35 },
    };
    indicators.forEach((code, i) => {
      const part = rows.filter((r) => r.indicator_code === code);
      const axis = i === 0 ? "" : String(i + 1);
      traces.push({
        type: "bar",
        orientation: "h",
        x: part.map((r) => r.value_numeric),
        y: part.map((r) => r.province_name_vi),
        text: part.map((r) => fmtValue(r.value_numeric, r.unit_code)),
        textposition: "outside",
        cliponaxis: false,
        marker: { color: part.map((r) => (r.province_key === state.province ? COLOURS.chosen : COLOURS.other)) },
        customdata: part.map((r) => [r.basis_note_vi || r.basis_label_vi, sourcesText(r.sources)]),
        hovertemplate: "%{y}: %{text}<br>%{customdata[0]}<br>%{customdata[1]}<extra></extra>",
        xaxis: "x" + axis,
        yaxis: "y" + axis,
      });
      const top = Math.max(0, ...part.map((r) => r.value_numeric));
      layout["xaxis" + axis] = { range: [0, top * 1.2 || 1], automargin: true };
      layout["yaxis" + axis] = { automargin: true, autorange: "reversed" };
      layout.annotations.push({
        text: part[0].indicator_name_vi,
        xref: "x" + axis + " domain",
        yref: "y" + axis + " domain",
        x: 0,
        y: 1.02,
        xanchor: "left",
        yanchor: "bottom",
        showarrow: false,
        font: { size: 13 },
      });
    });
    return [traces, layout];
  }

  function drawComparison() {
    const all = P.comparison.filter((r) => r.era === state.era && r.period_key === state.period);
    const own = all.filter((r) => r.province_key === state.province);
    if (!own.length) {
      fill("comparison-table", note("table-comparison", "Chưa có số liệu chỉ tiêu chính của tỉnh trong kỳ này."));
    } else {
      fill(
        "comparison-table",
        table(
          "table-comparison",
          ["Chỉ tiêu", "Giá trị", "Xếp hạng", "Cơ sở số liệu", "Cơ quan đã báo cáo", "Nguồn (tệp, dòng)"],
          own.map((r) =>
            el(
              "tr",
              { "data-indicator": r.indicator_code },
              el("td", {}, r.indicator_name_vi),
              el("td", { class: "num value", "data-value": r.value_numeric }, fmtValue(r.value_numeric, r.unit_code)),
              // a rank only where the warehouse ranks the value (is_ranked)
              el("td", { class: "num rank", title: r.is_ranked ? "" : "Không xếp hạng — xem cơ sở số liệu" }, r.is_ranked && r.province_rank ? `${fmtNumber(r.province_rank)}/${fmtNumber(r.provinces_compared)}` : "—"),
              el("td", { class: "basis", title: r.basis_note_vi || "" }, r.basis_label_vi),
              el("td", { class: "num coverage" }, `${fmtNumber(r.reporters_sent)}/${fmtNumber(r.reporters_expected)} cơ quan`),
              el("td", { class: "source" }, sourcesText(r.sources))
            )
          )
        )
      );
    }
    const chart = document.getElementById("chart-comparison");
    if (!all.length) {
      Plotly.purge(chart);
      chart.replaceChildren(note(null, "Chưa có số liệu so sánh trong kỳ này."));
      return;
    }
    // a note stood here: plotly draws into an empty element (never clear a drawn plot)
    if (chart.querySelector(".no-data")) chart.replaceChildren();
    const [traces, layout] = comparisonChart(all);
    Plotly.react(chart, traces, layout, { displaylogo: false, responsive: true });
  }

  function midpoint(start, end) {
    const a = Date.parse(start);
    const b = Date.parse(end);
    return new Date((a + b) / 2).toISOString().slice(0, 10);
  }

  function historyRows() {
    const unit = state.era === "63" ? (provinceOf(state.province) || {}).province_2025_key : state.province;
    return P.history.filter((r) => r.province_2025_key === unit);
  }

  function fillIndicators(rows) {
    const select = document.getElementById("choose-indicator");
    const counts = new Map();
    for (const r of rows) counts.set(r.indicator_code, (counts.get(r.indicator_code) || 0) + 1);
    const codes = [...counts.keys()];
    const name = (code) => rows.find((r) => r.indicator_code === code).indicator_name_vi;
    select.replaceChildren(
      ...codes.map((code) => el("option", { value: code }, `${name(code)} (${counts.get(code)} điểm)`))
    );
    if (!counts.has(state.indicator)) {
      // the indicator with the most points, a headline one first among equals
      const headlines = new Set(P.comparison.map((r) => r.indicator_code));
      const rank = (c) => [-counts.get(c), headlines.has(c) ? 0 : 1];
      const most = codes.slice().sort((a, b) => {
        const [ra, rb] = [rank(a), rank(b)];
        return ra[0] - rb[0] || ra[1] - rb[1] || a.localeCompare(b);
      })[0];
      state.indicator = most || null;
    }
    select.value = state.indicator;
  }

  function drawHistory() {
    const rows = historyRows();
    fillIndicators(rows);
    const part = rows.filter((r) => r.indicator_code === state.indicator);
    const chart = document.getElementById("chart-history");
    if (!part.length) {
      Plotly.purge(chart);
      chart.replaceChildren(note(null, "Chưa có số liệu theo kỳ của tỉnh."));
      fill("history-table");
      return;
    }
    // a note stood here: plotly draws into an empty element (never clear a drawn plot)
    if (chart.querySelector(".no-data")) chart.replaceChildren();
    const provinces = [...new Set(part.map((r) => r.province_key))];
    const traces = provinces.map((key, i) => {
      const series = part.filter((r) => r.province_key === key);
      const first = series[0];
      const era = first.era === "63" ? " (trước 1/7/2025)" : " (từ 1/7/2025)";
      return {
        type: "scatter",
        mode: "lines+markers+text",
        name: first.province_name_vi + era,
        x: series.map((r) => midpoint(r.nominal_start_date, r.nominal_end_date)),
        y: series.map((r) => r.value_numeric),
        text: series.map((r) => fmtValue(r.value_numeric, r.unit_code)),
        textposition: "top center",
        line: { color: LINE_COLOURS[i % LINE_COLOURS.length] },
        customdata: series.map((r) => [r.period_label_vi, fmtDate(r.nominal_start_date), fmtDate(r.nominal_end_date), sourcesText(r.sources)]),
        hovertemplate: "%{customdata[0]} (%{customdata[1]}–%{customdata[2]}): %{text}<br>%{customdata[3]}<extra>%{fullData.name}</extra>",
      };
    });
    const ticks = new Map();
    for (const r of part) ticks.set(midpoint(r.nominal_start_date, r.nominal_end_date), r.period_label_vi);
    const tickvals = [...ticks.keys()].sort();
    const layout = {
      separators: ",.",
      height: 460,
      margin: { l: 50, r: 30, t: 40, b: 60 },
      font: { family: "Arial, 'Noto Sans', sans-serif", size: 12 },
      xaxis: { type: "date", tickvals: tickvals, ticktext: tickvals.map((v) => ticks.get(v)), title: { text: "Kỳ báo cáo" } },
      yaxis: { title: { text: part[0].unit_code === "percent" ? "%" : "" }, rangemode: "tozero" },
      // the legend names the province even when one line is drawn (plotly hides a lone one)
      showlegend: true,
      legend: { orientation: "h", y: -0.2 },
      shapes: [],
      annotations: [],
    };
    const merger = part[0].merger_date;
    const days = part.map((r) => r.nominal_end_date).sort();
    if (merger && days[0] < merger && merger <= days[days.length - 1]) {
      layout.shapes.push({ type: "line", x0: merger, x1: merger, yref: "paper", y0: 0, y1: 1, line: { dash: "dot", color: "#555" } });
      layout.annotations.push({ x: merger, y: 1, yref: "paper", text: `Sáp nhập tỉnh ${fmtDate(merger)}`, showarrow: false });
    }
    Plotly.react(chart, traces, layout, { displaylogo: false, responsive: true });
    fill(
      "history-table",
      table(
        "table-history",
        ["Kỳ báo cáo", "Tỉnh (khi báo cáo)", "Giá trị", "Nguồn (tệp, dòng)"],
        part.map((r) =>
          el(
            "tr",
            { "data-period": r.period_key, "data-province": r.province_key },
            el("td", {}, `${r.period_label_vi} (${fmtDate(r.nominal_start_date)}–${fmtDate(r.nominal_end_date)})`),
            el("td", {}, r.province_name_vi),
            el("td", { class: "num value", "data-value": r.value_numeric }, fmtValue(r.value_numeric, r.unit_code)),
            el("td", { class: "source" }, sourcesText(r.sources))
          )
        )
      )
    );
  }

  function drawTargets() {
    const rows = P.targets;
    if (!rows.length) {
      fill("targets", note("table-targets", "Chưa có mục tiêu kế hoạch nào."));
      return;
    }
    fill(
      "targets",
      el(
        "details",
        {},
        el("summary", {}, `${fmtNumber(rows.length)} mục tiêu (bấm để xem)`),
        table(
        "table-targets",
        ["Chỉ tiêu", "Mục tiêu", "Thực hiện gần nhất", "Tình trạng", "Tệp, dòng"],
        rows.map((r) =>
          el(
            "tr",
            { "data-status": r.attainment_status },
            el("td", {}, r.indicator_name_vi || r.target_text || ""),
            el("td", { class: "num" }, `${r.comparator || ""} ${fmtValue(r.target_value, r.unit_code)} (năm ${r.target_year})`),
            el("td", { class: "num", "data-value": r.actual_value }, fmtValue(r.actual_value, r.unit_code)),
            el("td", {}, r.attainment_label_vi || ""),
            el("td", { class: "source" }, linesText(r.file_path, r.source_line))
          )
        )
        )
      )
    );
  }

  function drawLetters() {
    // a letter listed with its province (as it was, or its 2025 unit) and period shows
    // for that choice; one listed without them shows for every choice
    const unitOf = (key) => (provinceOf(key) || {}).province_2025_key;
    const matches = (r) => {
      if (r.period_key && r.period_key !== state.period) return false;
      if (!r.province_key && !r.province_2025_key) return true;
      if (state.era === "63") return r.province_key === state.province;
      return (r.province_2025_key || unitOf(r.province_key)) === state.province;
    };
    const rows = DATA.letters.filter(matches);
    if (!DATA.letters.length) {
      fill("letters", note("letters-none", "Chưa có công văn đề nghị rà soát (được tạo khi chạy cchc export)."));
      return;
    }
    if (!rows.length) {
      fill("letters", note("letters-none", "Không có công văn nào cho lựa chọn này."));
      return;
    }
    fill(
      "letters",
      el(
        "ul",
        { id: "letters-list" },
        rows.map((r) => el("li", {}, el("a", { href: r.href }, r.agency_name_vi || r.agency || r.href.split("/").pop())))
      )
    );
  }

  function draw() {
    fillProvinces();
    fillPeriods();
    writeHash();
    const coverage = P.coverage.filter(inChoice);
    const findings = P.findings.filter(inChoice);
    const setAside = P.set_aside.filter((r) => r.province_key && inChoice(r));
    const unplaced = P.set_aside.filter((r) => !r.province_key);
    drawHeading();
    drawSummary(coverage, findings, setAside);
    drawCoverage(coverage);
    drawSetAside(setAside, unplaced);
    drawFindings(findings);
    drawComparison();
    drawHistory();
    drawTargets();
    drawLetters();
    document.body.setAttribute("data-drawn", `${state.era}|${state.province}|${state.period}`);
  }

  // ------------------------------------------------------------ start

  function start() {
    const wanted = readHash();
    state.era = wanted.era === "63" || wanted.era === "34" ? wanted.era : null;
    if (!state.era) {
      const withData34 = P.provinces.some((p) => p.era === "34" && hasData(p.province_key, "34"));
      state.era = withData34 || !P.provinces.length ? "34" : "63";
    }
    state.province = wanted.province;
    state.period = wanted.period;
    fillEra();
    document.getElementById("choose-era").addEventListener("change", (e) => {
      state.era = e.target.value;
      draw();
    });
    document.getElementById("choose-province").addEventListener("change", (e) => {
      state.province = e.target.value;
      draw();
    });
    document.getElementById("choose-period").addEventListener("change", (e) => {
      state.period = e.target.value;
      draw();
    });
    document.getElementById("choose-indicator").addEventListener("change", (e) => {
      state.indicator = e.target.value;
      drawHistory();
    });
    draw();
  }

  window.cchcDashboard = { state: state, draw: draw, fmtValue: fmtValue, fmtDate: fmtDate };
  start();
})();
