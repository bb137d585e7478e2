package io.cachep.text;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A plain-text table for people: columns padded to their widest cell, numbers right-aligned. */
public final class TextTable {
    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();
    private boolean numbersRight = true;

    public TextTable(String... headers) {
        this.headers = List.of(headers);
    }

    /**
     * Every cell left-aligned, numbers too: for attribute/value tables, where a value column mixes numbers and text
     * and right-aligned numbers would sit far from their names.
     */
    public TextTable leftAligned() {
        numbersRight = false;
        return this;
    }

    public TextTable row(Object... cells) {
        if (cells.length != headers.size()) {
            throw new IllegalArgumentException("row has " + cells.length + " cells, table has " + headers.size() + " columns");
        }
        rows.add(Arrays.stream(cells).map(String::valueOf).toList());
        return this;
    }

    public String render() {
        int[] widths = new int[headers.size()];
        for (int c = 0; c < widths.length; c++) {
            widths[c] = headers.get(c).length();
            for (List<String> row : rows) {
                widths[c] = Math.max(widths[c], row.get(c).length());
            }
        }
        StringBuilder out = new StringBuilder();
        line(out, headers, widths, numbersRight);
        StringBuilder rule = new StringBuilder();
        for (int c = 0; c < widths.length; c++) {
            rule.append(c == 0 ? "" : "  ").append("-".repeat(widths[c]));
        }
        out.append(rule).append('\n');
        rows.forEach(row -> line(out, row, widths, numbersRight));
        return out.toString();
    }

    private static void line(StringBuilder out, List<String> cells, int[] widths, boolean numbersRight) {
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < cells.size(); c++) {
            String cell = cells.get(c);
            String pad = " ".repeat(widths[c] - cell.length());
            line.append(c == 0 ? "" : "  ").append(numbersRight && isNumber(cell) ? pad + cell : cell + pad);
        }
        out.append(line.toString().stripTrailing()).append('\n');
    }

    private static boolean isNumber(String cell) {
        return !cell.isEmpty() && cell.chars().allMatch(ch -> Character.isDigit(ch) || ch == '.' || ch == ',' || ch == '-');
    }
}
