-- +goose Up
-- Reporting periods become months of the Jalali calendar, the one Iranian
-- agencies report by: a period is stored as "1405-08" (Aban 1405) where it
-- was a Gregorian month ("2026-11"). Each Gregorian month is carried to the
-- Jalali month that holds its 15th day (domain.PeriodOfGregorianMonth):
-- every Jalali month begins between the 19th and the 23rd of a Gregorian
-- month, so Gregorian month m of year y is Jalali month (m + 8) mod 12 + 1 of
-- year y - 621 (y - 622 for January to March), one to one, and no two
-- reports of a project and agency fall into one month.
--
-- The columns that hold a period: reports.period, kpis.latest_period,
-- progress_state.report_period (and its packed copy), and a report
-- reminder's ref ("project/period") and texts. A value from 1700 on is
-- Gregorian; a Jalali year is below 1700. Signed documents and the audit log
-- keep the text they were signed and chained with.

CREATE TABLE period_map_00012 (
    src     TEXT PRIMARY KEY,
    dst     TEXT,
    name_fa TEXT,
    name_en TEXT
);

INSERT INTO period_map_00012 (src)
    SELECT period FROM reports WHERE (period ~ '^[12][0-9]{3}-[01][0-9]$' AND substr(period, 1, 4) >= '1700')
    UNION SELECT latest_period FROM kpis WHERE (latest_period ~ '^[12][0-9]{3}-[01][0-9]$' AND substr(latest_period, 1, 4) >= '1700')
    UNION SELECT report_period FROM progress_state WHERE (report_period ~ '^[12][0-9]{3}-[01][0-9]$' AND substr(report_period, 1, 4) >= '1700')
    UNION SELECT right(ref, 7) FROM reminders WHERE kind = 'report' AND ref ~ '/[0-9]{4}-[0-9]{2}$' AND (right(ref, 7) ~ '^[12][0-9]{3}-[01][0-9]$' AND substr(right(ref, 7), 1, 4) >= '1700');

UPDATE period_map_00012 SET dst = lpad(CAST(CAST(substr(src, 1, 4) AS INTEGER) - CASE WHEN CAST(substr(src, 6, 2) AS INTEGER) >= 4 THEN 621 ELSE 622 END AS TEXT), 4, '0') || '-' || lpad(CAST((CAST(substr(src, 6, 2) AS INTEGER) + 8) % 12 + 1 AS TEXT), 2, '0');

UPDATE period_map_00012 SET
    name_fa = CASE CAST(substr(dst, 6, 2) AS INTEGER) WHEN 1 THEN 'فروردین' WHEN 2 THEN 'اردیبهشت' WHEN 3 THEN 'خرداد' WHEN 4 THEN 'تیر' WHEN 5 THEN 'مرداد' WHEN 6 THEN 'شهریور' WHEN 7 THEN 'مهر' WHEN 8 THEN 'آبان' WHEN 9 THEN 'آذر' WHEN 10 THEN 'دی' WHEN 11 THEN 'بهمن' WHEN 12 THEN 'اسفند' END || ' ' || translate(CAST(CAST(substr(dst, 1, 4) AS INTEGER) AS TEXT), '0123456789', '۰۱۲۳۴۵۶۷۸۹'),
    name_en = CASE CAST(substr(dst, 6, 2) AS INTEGER) WHEN 1 THEN 'Farvardin' WHEN 2 THEN 'Ordibehesht' WHEN 3 THEN 'Khordad' WHEN 4 THEN 'Tir' WHEN 5 THEN 'Mordad' WHEN 6 THEN 'Shahrivar' WHEN 7 THEN 'Mehr' WHEN 8 THEN 'Aban' WHEN 9 THEN 'Azar' WHEN 10 THEN 'Dey' WHEN 11 THEN 'Bahman' WHEN 12 THEN 'Esfand' END || ' ' || CAST(CAST(substr(dst, 1, 4) AS INTEGER) AS TEXT);

UPDATE reports SET period = (SELECT dst FROM period_map_00012 WHERE src = reports.period) WHERE period IN (SELECT src FROM period_map_00012);

UPDATE kpis SET latest_period = (SELECT dst FROM period_map_00012 WHERE src = kpis.latest_period) WHERE latest_period IN (SELECT src FROM period_map_00012);

UPDATE progress_state SET
    packed = replace(packed, '|' || report_period || '|', '|' || (SELECT dst FROM period_map_00012 WHERE src = progress_state.report_period) || '|'),
    report_period = (SELECT dst FROM period_map_00012 WHERE src = progress_state.report_period)
    WHERE report_period IN (SELECT src FROM period_map_00012);

UPDATE reminders SET
    text_fa = (SELECT replace(text_fa, 'گزارش دوره ' || m.src, 'گزارش ' || m.name_fa) FROM period_map_00012 m WHERE m.src = right(ref, 7)),
    text_en = (SELECT replace(text_en, 'the ' || m.src || ' report', 'the ' || m.name_en || ' report') FROM period_map_00012 m WHERE m.src = right(ref, 7)),
    ref = left(ref, length(ref) - 7) || (SELECT dst FROM period_map_00012 m WHERE m.src = right(ref, 7))
    WHERE kind = 'report' AND ref ~ '/[0-9]{4}-[0-9]{2}$' AND right(ref, 7) IN (SELECT src FROM period_map_00012);

DROP TABLE period_map_00012;

-- +goose Down
-- Back to Gregorian months: each Jalali month to the Gregorian month of its
-- 15th day's counterpart, the inverse of the above.
CREATE TABLE period_map_00012 (
    src     TEXT PRIMARY KEY,
    dst     TEXT,
    name_fa TEXT,
    name_en TEXT
);

INSERT INTO period_map_00012 (src)
    SELECT period FROM reports WHERE (period ~ '^1[0-9]{3}-[01][0-9]$' AND substr(period, 1, 4) < '1700')
    UNION SELECT latest_period FROM kpis WHERE (latest_period ~ '^1[0-9]{3}-[01][0-9]$' AND substr(latest_period, 1, 4) < '1700')
    UNION SELECT report_period FROM progress_state WHERE (report_period ~ '^1[0-9]{3}-[01][0-9]$' AND substr(report_period, 1, 4) < '1700')
    UNION SELECT right(ref, 7) FROM reminders WHERE kind = 'report' AND ref ~ '/[0-9]{4}-[0-9]{2}$' AND (right(ref, 7) ~ '^1[0-9]{3}-[01][0-9]$' AND substr(right(ref, 7), 1, 4) < '1700');

UPDATE period_map_00012 SET dst = lpad(CAST(CAST(substr(src, 1, 4) AS INTEGER) + CASE WHEN CAST(substr(src, 6, 2) AS INTEGER) <= 9 THEN 621 ELSE 622 END AS TEXT), 4, '0') || '-' || lpad(CAST((CAST(substr(src, 6, 2) AS INTEGER) + 2) % 12 + 1 AS TEXT), 2, '0');

UPDATE period_map_00012 SET
    name_fa = CASE CAST(substr(src, 6, 2) AS INTEGER) WHEN 1 THEN 'فروردین' WHEN 2 THEN 'اردیبهشت' WHEN 3 THEN 'خرداد' WHEN 4 THEN 'تیر' WHEN 5 THEN 'مرداد' WHEN 6 THEN 'شهریور' WHEN 7 THEN 'مهر' WHEN 8 THEN 'آبان' WHEN 9 THEN 'آذر' WHEN 10 THEN 'دی' WHEN 11 THEN 'بهمن' WHEN 12 THEN 'اسفند' END || ' ' || translate(CAST(CAST(substr(src, 1, 4) AS INTEGER) AS TEXT), '0123456789', '۰۱۲۳۴۵۶۷۸۹'),
    name_en = CASE CAST(substr(src, 6, 2) AS INTEGER) WHEN 1 THEN 'Farvardin' WHEN 2 THEN 'Ordibehesht' WHEN 3 THEN 'Khordad' WHEN 4 THEN 'Tir' WHEN 5 THEN 'Mordad' WHEN 6 THEN 'Shahrivar' WHEN 7 THEN 'Mehr' WHEN 8 THEN 'Aban' WHEN 9 THEN 'Azar' WHEN 10 THEN 'Dey' WHEN 11 THEN 'Bahman' WHEN 12 THEN 'Esfand' END || ' ' || CAST(CAST(substr(src, 1, 4) AS INTEGER) AS TEXT);

UPDATE reports SET period = (SELECT dst FROM period_map_00012 WHERE src = reports.period) WHERE period IN (SELECT src FROM period_map_00012);

UPDATE kpis SET latest_period = (SELECT dst FROM period_map_00012 WHERE src = kpis.latest_period) WHERE latest_period IN (SELECT src FROM period_map_00012);

UPDATE progress_state SET
    packed = replace(packed, '|' || report_period || '|', '|' || (SELECT dst FROM period_map_00012 WHERE src = progress_state.report_period) || '|'),
    report_period = (SELECT dst FROM period_map_00012 WHERE src = progress_state.report_period)
    WHERE report_period IN (SELECT src FROM period_map_00012);

UPDATE reminders SET
    text_fa = (SELECT replace(text_fa, 'گزارش ' || m.name_fa, 'گزارش دوره ' || m.dst) FROM period_map_00012 m WHERE m.src = right(ref, 7)),
    text_en = (SELECT replace(text_en, 'the ' || m.name_en || ' report', 'the ' || m.dst || ' report') FROM period_map_00012 m WHERE m.src = right(ref, 7)),
    ref = left(ref, length(ref) - 7) || (SELECT dst FROM period_map_00012 m WHERE m.src = right(ref, 7))
    WHERE kind = 'report' AND ref ~ '/[0-9]{4}-[0-9]{2}$' AND right(ref, 7) IN (SELECT src FROM period_map_00012);

DROP TABLE period_map_00012;
