/*
 * libcommitments — the umbrella header.
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#ifndef COMMITMENTS_COMMITMENTS_H
#define COMMITMENTS_COMMITMENTS_H

#include <commitments/common.h>
#include <commitments/error.h>
#include <commitments/version.h>
#include <commitments/agreement.h>
#include <commitments/commitment.h>
#include <commitments/report.h>
#include <commitments/analysis.h>
#include <commitments/monitor.h>
#include <commitments/format.h>
#include <commitments/inspect.h>
#include <commitments/columns.h>
#include <commitments/import.h>

#endif
