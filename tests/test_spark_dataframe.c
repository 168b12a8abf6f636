/* test_spark_dataframe.c - pardemo spark's DataFrames print what Spark
 * 3.5 prints: Spark's own DataFrame doctests (tests/spark/), with the
 * expressions run in C and in Python; the practical's programs on the
 * trade CSV beside python3 references (tests/spark/frames.py); Spark's
 * errors, word for word; CSV files read by Spark's inference rules; and
 * explain() naming the shuffles the engine runs. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "harness.h"

static void run_doctests(const char *const *env)
{
    const char *args[] = { "spark", "-t", "4", "spark/doctests.py",
                           "spark/dataframe_doctests.txt", NULL };
    struct cmd_out c = cmd_run_env(args, NULL, env, 600);

    cr_expect_eq(c.status, 0, "exit %d\n%s\n%s", c.status, c.out, c.err);
    cr_expect(strstr(c.out, " sections, 0 failed\n"), "%s\n%s", c.out, c.err);
    cmd_free(&c);
}

Test(spark_dataframe, doctests_print_what_spark_documents, .timeout = 600)
{
    run_doctests(NULL);
}

/* The same doctests with every expression evaluated in Python: the C
 * evaluator (lib/sql/expr.c) and the Python one agree. */
Test(spark_dataframe, doctests_print_the_same_with_python_expressions,
     .timeout = 600)
{
    const char *env[] = { "PARDEMO_SPARK_NO_FAST=1", NULL };

    run_doctests(env);
}

Test(spark_dataframe, practical_programs_print_what_spark_prints,
     .timeout = 900)
{
    char line[1200];

    snprintf(line, sizeof(line), "/usr/bin/python3 spark/frames.py '%s'",
             pardemo_bin());
    struct cmd_out c = cmd_sh(line, 900);
    cr_expect_eq(c.status, 0, "%s\n%s", c.out, c.err);
    cr_expect(strstr(c.out, " programs, 0 differ\n"), "%s\n%s", c.out, c.err);
    cmd_free(&c);
}

/* Runs src through the shell's stdin (errors do not end it). */
static struct cmd_out shell(const char *src)
{
    const char *args[] = { "spark", "-t", "2", NULL };

    return cmd_run_env(args, src, NULL, 120);
}

struct spark_error {
    const char *src;
    const char *line;       /* a line of the error, as PySpark prints it */
};

#define FRAME "df = spark.createDataFrame([(1, 2, 'x', 3)], " \
              "['Value', 'Year', 'Country', 'Cumulative'])\n"

static const struct spark_error errors[] = {
    /* an unknown name: the analyzer's five nearest names and the plan */
    { FRAME "df.select('Valu')",
      "pyspark.errors.exceptions.captured.AnalysisException: "
      "[UNRESOLVED_COLUMN.WITH_SUGGESTION] A column or function parameter "
      "with name `Valu` cannot be resolved. Did you mean one of the "
      "following? [`Value`, `Year`, `Country`, `Cumulative`].;\n"
      "'Project ['Valu]\n+- LogicalRDD [Value#" },
    { FRAME "from pyspark.sql.functions import col\n"
      "df.filter(col('Contry') == 'x')",
      "[UNRESOLVED_COLUMN.WITH_SUGGESTION] A column or function parameter "
      "with name `Contry` cannot be resolved. Did you mean one of the "
      "following? [`Country`, `Year`, `Value`, `Cumulative`].;\n'Filter " },
    /* df["name"] (Dataset.resolve): every column, in order */
    { FRAME "df['Valu']",
      "AnalysisException: [UNRESOLVED_COLUMN.WITH_SUGGESTION] A column or "
      "function parameter with name `Valu` cannot be resolved. Did you mean "
      "one of the following? [`Value`, `Year`, `Country`, `Cumulative`]." },
    { FRAME "df.Valu",
      "pyspark.errors.exceptions.base.PySparkAttributeError: "
      "[ATTRIBUTE_NOT_SUPPORTED] Attribute `Valu` is not supported." },
    { FRAME "df.filter(df.Value > 1 and df.Year == 2)",
      "pyspark.errors.exceptions.base.PySparkValueError: "
      "[CANNOT_CONVERT_COLUMN_INTO_BOOL] Cannot convert column into bool: "
      "please use '&' for 'and', '|' for 'or', '~' for 'not' when building "
      "DataFrame boolean expressions." },
    { "spark.read.csv('/nonexistent/trade.csv', header=True)",
      "pyspark.errors.exceptions.captured.AnalysisException: "
      "[PATH_NOT_FOUND] Path does not exist: file:/nonexistent/trade.csv." },
    { FRAME "from pyspark.sql import functions as F\n"
      "df.groupBy('Country').agg(F.sum('Value'), F.col('Year'))",
      "AnalysisException: [MISSING_AGGREGATION] The non-aggregating "
      "expression \"Year\" is based on columns which are not participating "
      "in the GROUP BY clause." },
    { FRAME "df.filter(df.Country)",
      "AnalysisException: [DATATYPE_MISMATCH.FILTER_NOT_BOOLEAN] Cannot "
      "resolve \"Country\" due to data type mismatch: Filter expression "
      "\"Country\" of type \"STRING\" is not a boolean." },
    { FRAME "df.join(df).select('Value')",
      "AnalysisException: [AMBIGUOUS_REFERENCE] Reference `Value` is "
      "ambiguous, could be: [`Value`, `Value`]." },
    { FRAME "df.selectExpr('average(Value)')",
      "AnalysisException: [UNRESOLVED_ROUTINE] Cannot resolve function "
      "`average` on search path" },
    { FRAME "df.selectExpr('Value +')",
      "pyspark.errors.exceptions.captured.ParseException: "
      "[PARSE_SYNTAX_ERROR] Syntax error at or near 'end of input'." },
    { FRAME "df.show('5')",
      "PySparkTypeError: [NOT_INT] Argument `n` should be an int, got str." },
    { FRAME "df.select(1)",
      "PySparkTypeError: [NOT_COLUMN_OR_STR] Argument `cols` should be a "
      "Column or str, got int." },
    { FRAME "df.union(df.select('Value'))",
      "AnalysisException: [NUM_COLUMNS_MISMATCH] UNION can only be performed"
      " on inputs with the same number of columns, but the first input has 4"
      " columns and the second input has 1 columns." },
    { "spark.createDataFrame([(1, 'a')], 'a INT, b INT')",
      "PySparkTypeError: [FIELD_DATA_TYPE_UNACCEPTABLE_WITH_NAME] field b: "
      "IntegerType() can not accept object 'a' in type <class 'str'>." },
    { "display(spark.range(1))",
      "NameError: name 'display' is not defined. display() is a Databricks "
      "notebook's function; PySpark prints a DataFrame with df.show()" },
    { "spark.createDataFrame([(None,)])",
      "PySparkValueError: [CANNOT_DETERMINE_TYPE] Some of types cannot be "
      "determined after inferring." },
};

/* Each error is Spark's, and the shell goes on after it. */
Test(spark_dataframe, errors_are_sparks_and_the_shell_survives,
     .timeout = 300)
{
    for (size_t i = 0; i < sizeof(errors) / sizeof(errors[0]); i++) {
        char src[2048];
        snprintf(src, sizeof(src), "%s\n\nprint('still here')\n",
                 errors[i].src);
        struct cmd_out c = shell(src);
        cr_expect(strstr(c.err, errors[i].line), "%zu: want\n%s\nin\n%s", i,
                  errors[i].line, c.err);
        cr_expect(strstr(c.out, "still here\n"), "%zu: %s", i, c.out);
        cmd_free(&c);
    }
}

/* Runs src with `pardemo spark -t 2 -c` in a fresh directory holding
 * data.csv (text); out is stdout, and the run must succeed. */
static char *run_with_csv(const char *csv, const char *src)
{
    char *dir = make_tmpdir(), path[600], *out;
    FILE *f;

    snprintf(path, sizeof(path), "%s/data.csv", dir);
    cr_assert((f = fopen(path, "w")));
    fputs(csv, f);
    fclose(f);
    char prog[4096];
    snprintf(prog, sizeof(prog), "p = '%s'\n%s", path, src);
    const char *args[] = { "spark", "-t", "2", "-c", prog, NULL };
    struct cmd_out c = cmd_run_env(args, NULL, NULL, 120);
    cr_expect_eq(c.status, 0, "%s\n%s", c.out, c.err);
    out = strdup(c.out);
    cmd_free(&c);
    rm_tree(dir);
    free(dir);
    return out;
}

static const char kinds_csv[] =
    "i,l,d,b,dt,ts,s,e,m\n"
    "1,3000000000,1.5,true,2015-01-01,2015-01-01 10:00:00,\"a, b\",,7\n"
    "\n"
    "2,4,2,false,2015-01-02,2015-01-02 11:30:00,x,,abc\n";

/* inferSchema: each column the narrowest type all its fields fit, as
 * Spark 3's CSVInferSchema; an empty column is a string; RFC 4180
 * quotes keep a comma in a field; a blank line is no row. */
Test(spark_dataframe, csv_inference_follows_spark, .timeout = 120)
{
    char *out = run_with_csv(kinds_csv,
        "df = spark.read.csv(p, header=True, inferSchema=True)\n"
        "df.printSchema()\ndf.show()\n"
        "print(spark.read.csv(p, header=True).dtypes[:2])\n"
        "print(spark.read.csv(p).columns[:3])\n");

    cr_expect_str_eq(out,
        "root\n"
        " |-- i: integer (nullable = true)\n"
        " |-- l: long (nullable = true)\n"
        " |-- d: double (nullable = true)\n"
        " |-- b: boolean (nullable = true)\n"
        " |-- dt: date (nullable = true)\n"
        " |-- ts: timestamp (nullable = true)\n"
        " |-- s: string (nullable = true)\n"
        " |-- e: string (nullable = true)\n"
        " |-- m: string (nullable = true)\n\n"
        "+---+----------+---+-----+----------+-------------------+----+----+"
        "---+\n"
        "|  i|         l|  d|    b|        dt|                 ts|   s|   e|"
        "  m|\n"
        "+---+----------+---+-----+----------+-------------------+----+----+"
        "---+\n"
        "|  1|3000000000|1.5| true|2015-01-01|2015-01-01 10:00:00|a, b|NULL|"
        "  7|\n"
        "|  2|         4|2.0|false|2015-01-02|2015-01-02 11:30:00|   x|NULL|"
        "abc|\n"
        "+---+----------+---+-----+----------+-------------------+----+----+"
        "---+\n\n"
        "[('i', 'string'), ('l', 'string')]\n"
        "['_c0', '_c1', '_c2']\n");
    free(out);
}

/* A row that does not fit its schema: PERMISSIVE makes the bad cell
 * null, DROPMALFORMED drops the row, FAILFAST fails the job. */
Test(spark_dataframe, csv_modes_for_malformed_rows, .timeout = 120)
{
    char *out = run_with_csv("a,b\n1,2\nx,3\n4\n",
        "s = 'a INT, b INT'\n"
        "print(spark.read.csv(p, header=True, schema=s).collect())\n"
        "print(spark.read.csv(p, header=True, schema=s, "
        "mode='DROPMALFORMED').collect())\n"
        "try:\n"
        "    spark.read.csv(p, header=True, schema=s, mode='FAILFAST')"
        ".collect()\n"
        "except Exception as e:\n"
        "    print('MALFORMED_RECORD_IN_PARSING' in str(e), 'FAILFAST' in "
        "str(e))\n");

    cr_expect_str_eq(out,
        "[Row(a=1, b=2), Row(a=None, b=3), Row(a=4, b=None)]\n"
        "[Row(a=1, b=2)]\n"
        "True True\n");
    free(out);
}

/* explain(): Spark's physical plan, its Exchanges where the engine
 * shuffles, and the engine's stages. */
Test(spark_dataframe, explain_shows_the_shuffles, .timeout = 120)
{
    char *out = run_with_csv("Country,Value\nChina,3\nJapan,4\nChina,5\n",
        "from pyspark.sql import functions as F\n"
        "df = spark.read.csv(p, header=True, inferSchema=True)\n"
        "df.groupBy('Country').agg(F.sum('Value')).explain()\n"
        "df.orderBy(F.desc('Value')).explain()\n"
        "t = spark.createDataFrame([('China', 'Asia')], ['Country', 'R'])\n"
        "df.join(t, 'Country').explain()\n"
        "spark.conf.set('spark.sql.autoBroadcastJoinThreshold', -1)\n"
        "df.join(t, 'Country').explain()\n");

    cr_expect(strstr(out, "== Physical Plan ==\nAdaptiveSparkPlan "
                     "isFinalPlan=false\n+- *(2) HashAggregate(keys=[Country#"),
              "%s", out);
    cr_expect(strstr(out, "Exchange hashpartitioning(Country#"), "%s", out);
    cr_expect(strstr(out, "functions=[partial_sum(Value#"), "%s", out);
    cr_expect(strstr(out, "stage 1: FileScan"), "%s", out);
    cr_expect(strstr(out, "Exchange rangepartitioning(Value#"), "%s", out);
    cr_expect(strstr(out, "DESC NULLS LAST"), "%s", out);
    cr_expect(strstr(out, "BroadcastHashJoin [Country#"), "%s", out);
    cr_expect(strstr(out, "SortMergeJoin [Country#"), "%s", out);
    free(out);
}

/* --explain: the job the engine ran, the aggregation's two stages (the
 * partial aggregation, then after the shuffle the final one). */
Test(spark_dataframe, explain_flag_shows_the_jobs, .timeout = 120)
{
    const char *args[] = { "spark", "-t", "2", "--explain", "-c",
        "from pyspark.sql import functions as F\n"
        "df = spark.createDataFrame([('a', 1), ('b', 2), ('a', 3)], "
        "['k', 'v'])\n"
        "print(df.groupBy('k').agg(F.sum('v')).collect())", NULL };
    struct cmd_out c = cmd_run_env(args, NULL, NULL, 60);

    cr_assert_eq(c.status, 0, "%s", c.err);
    cr_expect_str_eq(c.out, "[Row(k='a', sum(v)=4), Row(k='b', sum(v)=2)]\n");
    cr_expect(strstr(c.err, "job 0:\n  stage 0: WholeStageCodegen "
                     "Project+partial_agg"), "%s", c.err);
    cr_expect(strstr(c.err, "\n  stage 1: collect\n"), "%s", c.err);
    cmd_free(&c);
}

/* A Python function (a UDF) that fails fails its task as PySpark
 * reports it, and the shell goes on. */
Test(spark_dataframe, a_failing_udf_is_reported_as_pyspark_does,
     .timeout = 120)
{
    struct cmd_out c = shell(
        "from pyspark.sql import functions as F\n"
        "df = spark.createDataFrame([(1,), (0,)], ['x'])\n"
        "inv = F.udf(lambda x: 1 / x, 'double')\n"
        "df.select(inv('x')).show()\n\nprint('still here')\n");

    cr_expect(strstr(c.err, "org.apache.spark.SparkException: Job aborted "
                     "due to stage failure"), "%s", c.err);
    cr_expect(strstr(c.err, "ZeroDivisionError: division by zero"), "%s",
              c.err);
    cr_expect(strstr(c.out, "still here\n"), "%s", c.out);
    cmd_free(&c);
}
