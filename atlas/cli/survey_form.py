"""atlas survey-form: the XLSForm of a batik business census, for ODK Central or KoboToolbox (docs/survey.md)."""

from __future__ import annotations

from atlas.cli.arguments import output_arguments, region_argument


def arguments(parser) -> None:
    region_argument(parser)
    parser.add_argument("--version", default="1", help="the form's version (raise it when the form changes)")
    output_arguments(parser, "the XLSForm to write (.xlsx)")


def run(args) -> int:
    from atlas.atomic import atomic_path
    from atlas.errors import OptionError
    from atlas.io.survey_form import form_bytes

    if not str(args.out).lower().endswith(".xlsx"):
        raise OptionError(f"--out {args.out}: an XLSForm is an .xlsx workbook")
    content = form_bytes(args.region, args.version)
    with atomic_path(args.out, force=args.force) as tmp:
        tmp.write_bytes(content)
    print(f"wrote the survey form for {args.region} to {args.out}: publish it on ODK Central or KoboToolbox")
    return 0
