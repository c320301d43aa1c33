/*
 * Mappings (docs/import.md): the datasets' column tables, the getters,
 * and the party names (exact names, then
 * `like` patterns) that rows are mapped through.
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#include <string.h>

#include "model/mapping.h"

/* ---- the formats --------------------------------------------------- */

static const char *const acled_cols[] = {
	"event_id_cnty", "event_date", "year", "time_precision",
	"disorder_type", "event_type", "sub_event_type", "actor1",
	"assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
	"interaction", "civilian_targeting", "iso", "region", "country",
	"admin1", "admin2", "admin3", "location", "latitude", "longitude",
	"geo_precision", "source", "source_scale", "notes", "fatalities",
	"tags", "timestamp"};

static const char *const ucdp_cols[] = {
	"id", "relid", "year", "active_year", "code_status",
	"type_of_violence", "conflict_dset_id", "conflict_new_id",
	"conflict_name", "dyad_dset_id", "dyad_new_id", "dyad_name",
	"side_a_dset_id", "side_a_new_id", "side_a", "side_b_dset_id",
	"side_b_new_id", "side_b", "number_of_sources", "source_article",
	"source_office", "source_date", "source_headline", "source_original",
	"where_prec", "where_coordinates", "where_description", "adm_1",
	"adm_2", "latitude", "longitude", "geom_wkt", "priogrid_gid",
	"country", "country_id", "region", "event_clarity", "date_prec",
	"date_start", "date_end", "deaths_a", "deaths_b", "deaths_civilians",
	"deaths_unknown", "best", "high", "low", "gwnoa", "gwnob"};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static const struct cm__imp_format formats[] = {
	{CM_IMPORT_ACLED, "acled", "ACLED", acled_cols, NELEM(acled_cols),
	 "event_date", "source"},
	{CM_IMPORT_UCDP, "ucdp", "UCDP GED", ucdp_cols, NELEM(ucdp_cols),
	 "date_start", "source_office"},
};

const struct cm__imp_format *cm__imp_format_by_name(const char *s, size_t n)
{
	for (size_t i = 0; i < NELEM(formats); i++)
		if (strlen(formats[i].name) == n &&
		    memcmp(formats[i].name, s, n) == 0)
			return &formats[i];
	return NULL;
}

const struct cm__imp_format *cm__imp_format_by_id(int id)
{
	for (size_t i = 0; i < NELEM(formats); i++)
		if (formats[i].id == id)
			return &formats[i];
	return NULL;
}

CM_EXPORT const char *cm_import_format_name(int format)
{
	const struct cm__imp_format *f = cm__imp_format_by_id(format);
	return f ? f->name : NULL;
}

CM_EXPORT const char *cm_mapping_id(const cm_mapping *map)
{
	return map ? map->id : NULL;
}

CM_EXPORT int cm_mapping_format(const cm_mapping *map)
{
	return map ? map->fmt->id : 0;
}

/* ---- names ------------------------------------------------------------ */

bool cm__imp_like(const char *pat, const char *s, size_t len)
{
	const char *end = s + len;
	const char *star = NULL, *back = NULL;
	while (s < end) {
		if (*pat == '*') {
			star = ++pat;
			back = s;
			continue;
		}
		if (*pat == '?') {
			pat++;
			s++;
			while (s < end && ((unsigned char)*s & 0xc0) == 0x80)
				s++;
			continue;
		}
		if (*pat && *pat == *s) {
			pat++;
			s++;
			continue;
		}
		if (!star)
			return false;
		pat = star;
		s = ++back;
	}
	while (*pat == '*')
		pat++;
	return *pat == '\0';
}

const char *cm__imp_party_of(const struct cm_mapping *map, const char *value,
			     size_t len)
{
	/* values are NUL-terminated at len by the reader */
	const struct cm__imp_name *nm = map->nnames
		? cm__map_get(&map->exact, value) : NULL;
	if (nm)
		return nm->party;
	for (uint32_t i = 0; i < map->nnames; i++)
		if (map->names[i].pattern &&
		    cm__imp_like(map->names[i].text, value, len))
			return map->names[i].party;
	return NULL;
}
