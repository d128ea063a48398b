/* tabwriter.c: elastic tabstops as Docker's table output uses them.
 *
 * Text is cut into cells at TAB; the cells of one column in consecutive
 * lines form a block whose width is its widest cell plus the padding (at
 * least minwidth).  A line's last cell (not ended by a TAB) takes no part,
 * so a line without TABs ends every column above it.  Widths count
 * terminal columns, as Docker's fork of Go's text/tabwriter does.  Padding
 * is spaces; tab width 1; no flags.
 */
#include "config.h"

#include <string.h>

#include "compat/format.h"
#include "compat/template-int.h"

#define TW_ESCAPE '\xff'

struct tw_cell {
	size_t size;  /* bytes */
	size_t width; /* terminal columns */
	bool htab;
};

struct tw_line {
	struct tw_cell *cells;
	size_t n, alloc;
};

struct tabwriter {
	int minwidth, padding;
	struct sbuf buf; /* cell text without tabs and newlines */
	size_t pos;	 /* buf offset up to which cell.width is counted */
	struct tw_cell cell;
	bool in_escape;
	struct tw_line *lines;
	size_t nlines, alines;
	size_t *widths;
	size_t nwidths, awidths;
	size_t out_pos;
};

/* Zero-width and double-width code points (combining marks, East Asian
 * wide and fullwidth forms, emoji), as go-runewidth classifies them with
 * ambiguous characters narrow. */
static int rune_width(uint32_t r)
{
	static const uint32_t zero[][2] = {
		{ 0x0300, 0x036F }, { 0x0483, 0x0489 }, { 0x0591, 0x05BD }, { 0x0610, 0x061A },
		{ 0x064B, 0x065F }, { 0x0E31, 0x0E31 }, { 0x0E34, 0x0E3A }, { 0x0E47, 0x0E4E },
		{ 0x1AB0, 0x1AFF }, { 0x1DC0, 0x1DFF }, { 0x200B, 0x200F }, { 0x2028, 0x202E },
		{ 0x2060, 0x2064 }, { 0x20D0, 0x20FF }, { 0xFE00, 0xFE0F }, { 0xFE20, 0xFE2F },
		{ 0xFEFF, 0xFEFF }, { 0xE0100, 0xE01EF },
	};
	static const uint32_t wide[][2] = {
		{ 0x1100, 0x115F }, { 0x231A, 0x231B }, { 0x2329, 0x232A }, { 0x23E9, 0x23EC },
		{ 0x23F0, 0x23F0 }, { 0x23F3, 0x23F3 }, { 0x25FD, 0x25FE }, { 0x2614, 0x2615 },
		{ 0x2648, 0x2653 }, { 0x267F, 0x267F }, { 0x2693, 0x2693 }, { 0x26A1, 0x26A1 },
		{ 0x26AA, 0x26AB }, { 0x26BD, 0x26BE }, { 0x26C4, 0x26C5 }, { 0x26CE, 0x26CE },
		{ 0x26D4, 0x26D4 }, { 0x26EA, 0x26EA }, { 0x26F2, 0x26F3 }, { 0x26F5, 0x26F5 },
		{ 0x26FA, 0x26FA }, { 0x26FD, 0x26FD }, { 0x2705, 0x2705 }, { 0x270A, 0x270B },
		{ 0x2728, 0x2728 }, { 0x274C, 0x274C }, { 0x274E, 0x274E }, { 0x2753, 0x2755 },
		{ 0x2757, 0x2757 }, { 0x2795, 0x2797 }, { 0x27B0, 0x27B0 }, { 0x27BF, 0x27BF },
		{ 0x2B1B, 0x2B1C }, { 0x2B50, 0x2B50 }, { 0x2B55, 0x2B55 }, { 0x2E80, 0x303E },
		{ 0x3041, 0x33FF }, { 0x3400, 0x4DBF }, { 0x4E00, 0x9FFF }, { 0xA000, 0xA4CF },
		{ 0xA960, 0xA97F }, { 0xAC00, 0xD7A3 }, { 0xF900, 0xFAFF }, { 0xFE10, 0xFE19 },
		{ 0xFE30, 0xFE6F }, { 0xFF00, 0xFF60 }, { 0xFFE0, 0xFFE6 }, { 0x16FE0, 0x16FE4 },
		{ 0x17000, 0x18CFF }, { 0x1B000, 0x1B2FF }, { 0x1F004, 0x1F004 }, { 0x1F0CF, 0x1F0CF },
		{ 0x1F18E, 0x1F18E }, { 0x1F191, 0x1F19A }, { 0x1F200, 0x1F251 }, { 0x1F300, 0x1F64F },
		{ 0x1F680, 0x1F6FF }, { 0x1F7E0, 0x1F7EB }, { 0x1F90C, 0x1F9FF }, { 0x1FA70, 0x1FAFF },
		{ 0x20000, 0x2FFFD }, { 0x30000, 0x3FFFD },
	};

	if (r < 0x20 || (r >= 0x7F && r < 0xA0))
		return 0;
	if (r < 0x300)
		return 1;
	for (size_t k = 0; k < ARRAY_SIZE(zero); k++)
		if (r >= zero[k][0] && r <= zero[k][1])
			return 0;
	for (size_t k = 0; k < ARRAY_SIZE(wide); k++)
		if (r >= wide[k][0] && r <= wide[k][1])
			return 2;
	return 1;
}

size_t display_width(const char *s, size_t n)
{
	size_t w = 0;
	for (size_t k = 0; k < n;) {
		uint32_t r;
		k += (size_t) utf8_decode(s + k, n - k, &r);
		w += (size_t) rune_width(r);
	}
	return w;
}

static void tw_add_line(struct tabwriter *tw)
{
	if (tw->nlines == tw->alines) {
		tw->alines = tw->alines ? tw->alines * 2 : 16;
		tw->lines = xrealloc(tw->lines, tw->alines * sizeof(*tw->lines));
	}
	tw->lines[tw->nlines++] = (struct tw_line){ NULL, 0, 0 };
}

static void tw_reset(struct tabwriter *tw)
{
	for (size_t k = 0; k < tw->nlines; k++)
		free(tw->lines[k].cells);
	tw->nlines = 0;
	sbuf_reset(&tw->buf);
	tw->pos = 0;
	tw->cell = (struct tw_cell){ 0, 0, false };
	tw->in_escape = false;
	tw->nwidths = 0;
	tw->out_pos = 0;
	tw_add_line(tw);
}

struct tabwriter *tabwriter_new(int minwidth, int padding)
{
	struct tabwriter *tw = xcalloc(1, sizeof(*tw));
	tw->minwidth = minwidth < 0 ? 0 : minwidth;
	tw->padding = padding < 0 ? 0 : padding;
	tw_reset(tw);
	return tw;
}

static void tw_append(struct tabwriter *tw, const char *text, size_t n)
{
	sbuf_add(&tw->buf, text, n);
	tw->cell.size += n;
}

static void tw_update_width(struct tabwriter *tw)
{
	tw->cell.width += display_width(sbuf_str(&tw->buf) + tw->pos, tw->buf.len - tw->pos);
	tw->pos = tw->buf.len;
}

static size_t tw_terminate_cell(struct tabwriter *tw, bool htab)
{
	struct tw_line *line = &tw->lines[tw->nlines - 1];

	tw->cell.htab = htab;
	if (line->n == line->alloc) {
		line->alloc = line->alloc ? line->alloc * 2 : 8;
		line->cells = xrealloc(line->cells, line->alloc * sizeof(*line->cells));
	}
	line->cells[line->n++] = tw->cell;
	tw->cell = (struct tw_cell){ 0, 0, false };
	return line->n;
}

static void tw_end_escape(struct tabwriter *tw)
{
	tw_update_width(tw);
	tw->cell.width -= 2; /* the Escape bytes themselves take no room */
	tw->pos = tw->buf.len;
	tw->in_escape = false;
}

void tabwriter_write(struct tabwriter *tw, const char *text, size_t len)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++) {
		char ch = text[i];
		if (!tw->in_escape) {
			if (ch == '\t' || ch == '\v' || ch == '\n' || ch == '\f') {
				tw_append(tw, text + n, i - n);
				tw_update_width(tw);
				n = i + 1;
				tw_terminate_cell(tw, ch == '\t');
				if (ch == '\n' || ch == '\f')
					tw_add_line(tw);
			} else if (ch == TW_ESCAPE) {
				tw_append(tw, text + n, i - n);
				tw_update_width(tw);
				n = i;
				tw->in_escape = true;
			}
		} else if (ch == TW_ESCAPE) {
			tw_append(tw, text + n, i + 1 - n);
			n = i + 1;
			tw_end_escape(tw);
		}
	}
	tw_append(tw, text + n, len - n);
}

static void tw_padding(struct sbuf *out, size_t textw, size_t cellw)
{
	for (size_t k = textw; k < cellw; k++)
		sbuf_addc(out, ' ');
}

static void tw_write_lines(struct tabwriter *tw, struct sbuf *out, size_t line0, size_t line1)
{
	const char *buf = sbuf_str(&tw->buf);

	for (size_t i = line0; i < line1; i++) {
		const struct tw_line *line = &tw->lines[i];
		for (size_t j = 0; j < line->n; j++) {
			const struct tw_cell *c = &line->cells[j];
			if (c->size > 0) {
				sbuf_add(out, buf + tw->out_pos, c->size);
				tw->out_pos += c->size;
			}
			if (j < tw->nwidths)
				tw_padding(out, c->width, tw->widths[j]);
		}
		if (i + 1 == tw->nlines) {
			/* the last line has no newline: write what is pending */
			sbuf_add(out, buf + tw->out_pos, tw->cell.size);
			tw->out_pos += tw->cell.size;
		} else {
			sbuf_addc(out, '\n');
		}
	}
}

/* Go's recursive format(), with an explicit stack: a line with thousands
 * of cells must not recurse thousands of C frames deep. */
struct tw_frame {
	size_t line0, line1, this;
	bool resumed;
};

static void tw_format(struct tabwriter *tw, struct sbuf *out)
{
	struct tw_frame *stack = xmalloc(sizeof(*stack));
	size_t depth = 1, astack = 1;

	stack[0] = (struct tw_frame){ 0, tw->nlines, 0, false };
	while (depth > 0) {
		struct tw_frame *f = &stack[depth - 1];
		size_t column = depth - 1;
		bool descended = false;

		if (f->resumed) {
			tw->nwidths--;
			f->line0 = f->this;
			f->this++;
			f->resumed = false;
		}
		for (; f->this < f->line1; f->this++) {
			size_t width;
			if (column + 1 >= tw->lines[f->this].n)
				continue;
			/* a block of this column starts here */
			tw_write_lines(tw, out, f->line0, f->this);
			f->line0 = f->this;
			width = (size_t) tw->minwidth;
			for (; f->this < f->line1; f->this++) {
				const struct tw_line *line = &tw->lines[f->this];
				size_t w;
				if (column + 1 >= line->n)
					break;
				w = line->cells[column].width + (size_t) tw->padding;
				if (w > width)
					width = w;
			}
			if (tw->nwidths == tw->awidths) {
				tw->awidths = tw->awidths ? tw->awidths * 2 : 16;
				tw->widths = xrealloc(tw->widths, tw->awidths * sizeof(*tw->widths));
			}
			tw->widths[tw->nwidths++] = width;
			f->resumed = true;
			if (depth == astack) {
				astack *= 2;
				stack = xrealloc(stack, astack * sizeof(*stack));
				f = &stack[depth - 1];
			}
			stack[depth] = (struct tw_frame){ f->line0, f->this, f->line0, false };
			depth++;
			descended = true;
			break;
		}
		if (descended)
			continue;
		tw_write_lines(tw, out, f->line0, f->line1);
		depth--;
	}
	free(stack);
}

void tabwriter_flush_sbuf(struct tabwriter *tw, struct sbuf *out)
{
	if (tw->cell.size > 0) {
		if (tw->in_escape)
			tw_end_escape(tw);
		tw_terminate_cell(tw, false);
	}
	sbuf_add(out, "", 0);
	tw_format(tw, out);
	tw_reset(tw);
}

void tabwriter_flush(struct tabwriter *tw, FILE *out)
{
	struct sbuf sb = SBUF_INIT;
	tabwriter_flush_sbuf(tw, &sb);
	if (sb.len)
		fwrite(sb.buf, 1, sb.len, out);
	sbuf_release(&sb);
}

void tabwriter_free(struct tabwriter *tw)
{
	if (!tw)
		return;
	for (size_t k = 0; k < tw->nlines; k++)
		free(tw->lines[k].cells);
	free(tw->lines);
	free(tw->widths);
	sbuf_release(&tw->buf);
	free(tw);
}
