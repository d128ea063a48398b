/* fuzz-template.c: parse and run arbitrary template text against a fixed
 * document, as a table row and as an inspect format.  Whatever the input,
 * this must return without crashing, hanging or leaking (the template
 * engine bounds nesting, output and work). */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "compat/format.h"
#include "compat/template.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char doc_json[] =
	"{\"Id\":\"4f66ad9a0b2e\",\"Name\":\"/web\",\"Names\":[\"web\",\"alias\"],"
	"\"State\":{\"Status\":\"running\",\"Running\":true,\"Pid\":1234,\"ExitCode\":0,\"Health\":null},"
	"\"Config\":{\"Cmd\":[\"sh\",\"-c\",\"echo hi\"],\"Labels\":{\"a.b\":\"1\",\"z\":\"<&>\"},"
	"\"Env\":[],\"CpuShares\":0,\"Ratio\":1.5,\"Big\":1e21}," 
	"\"NetworkSettings\":{\"Ports\":{\"80/tcp\":[{\"HostIp\":\"0.0.0.0\",\"HostPort\":\"8080\"}]}},"
	"\"Mounts\":[],\"Empty\":{},\"Nested\":[[1,[2,[3]]],{\"k\":[null,false]}]}";

static cJSON *method(void *ud, const cJSON *dot, const char *name, cJSON *const *args, int nargs,
		     robbe_error **err)
{
	(void) ud;
	(void) dot;
	if (strcmp(name, "Obj") == 0)
		return cJSON_Parse("{\"made\":[\"by\",{\"the\":\"hook\"}],\"k\":null}");
	if (strcmp(name, "Label") != 0)
		return NULL;
	if (nargs != 1 || !cJSON_IsString(args[0])) {
		robbe_error_set(err, 0, "Label takes one string");
		return NULL;
	}
	return cJSON_CreateString(args[0]->valuestring);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = xmalloc(size + 1);
	cJSON *doc = cJSON_Parse(doc_json);
	cJSON *arr = cJSON_CreateArray();
	cJSON *headers = cJSON_Parse("{\"Id\":\"CONTAINER ID\",\"Name\":\"NAME\"}");
	struct tmpl *t = NULL;
	robbe_error *err = NULL;
	struct sbuf out = SBUF_INIT;

	memcpy(text, data, size);
	text[size] = '\0';

	if (tmpl_parse(text, &t, &err) == 0) {
		struct tmpl_options modes[] = {
			{ .missing = TMPL_MISSING_DEFAULT },
			{ .missing = TMPL_MISSING_ERROR },
			{ .fold_case = true, .method = method },
			{ .header_mode = true },
		};
		for (size_t k = 0; k < sizeof(modes) / sizeof(modes[0]); k++) {
			tmpl_execute(t, doc, &modes[k], &out, &err);
			robbe_error_free(err);
			err = NULL;
			sbuf_reset(&out);
		}
		tmpl_free(t);
	} else {
		robbe_error_free(err);
		err = NULL;
	}

	/* The same text through Docker's format handling. */
	{
		struct formatter *f = NULL;
		if (formatter_new(text, "table {{.Id}}\t{{.Name}}", headers, NULL, &f, &err) == 0) {
			if (formatter_row(f, doc, &err) < 0) {
				robbe_error_free(err);
				err = NULL;
			}
			formatter_render(f, &out);
			formatter_free(f);
		} else {
			robbe_error_free(err);
			err = NULL;
		}
		sbuf_reset(&out);
	}
	cJSON_AddItemToArray(arr, cJSON_Duplicate(doc, true));
	if (format_inspect_sbuf(text, arr, &out, &err) < 0) {
		robbe_error_free(err);
		err = NULL;
	}
	sbuf_release(&out);
	cJSON_Delete(arr);
	cJSON_Delete(headers);
	cJSON_Delete(doc);
	free(text);
	return 0;
}
