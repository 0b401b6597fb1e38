package dev.dilxc.daemon.schedules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.time.Instant;
import java.time.ZoneId;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** What users type as a cron, and what Quartz runs. Pure: no Spring, no database. */
class CronSyntaxTests {

	@ParameterizedTest(name = "{0} -> {1}")
	@CsvSource(delimiter = '|', textBlock = """
			@yearly     | 0 0 0 1 1 ?
			@annually   | 0 0 0 1 1 ?
			@monthly    | 0 0 0 1 * ?
			@weekly     | 0 0 0 ? * 1
			@daily      | 0 0 0 * * ?
			@midnight   | 0 0 0 * * ?
			@HOURLY     | 0 0 * * * ?
			""")
	void macrosBecomeQuartzExpressions(String macro, String quartz) {
		assertThat(CronSyntax.toQuartz(macro)).isEqualTo(quartz);
	}

	@ParameterizedTest(name = "{0} -> {1}")
	@CsvSource(delimiter = '|', textBlock = """
			0 2 * * *           | 0 0 2 * * ?
			*/15 * * * *        | 0 */15 * * * ?
			30 2 1 * *          | 0 30 2 1 * ?
			0 2 * * 1-5         | 0 0 2 ? * 2-6
			0 2 * * 0           | 0 0 2 ? * 1
			0 2 * * 7           | 0 0 2 ? * 1
			0 2 * * 0,7         | 0 0 2 ? * 1
			0 2 * * 5-7         | 0 0 2 ? * 1,6,7
			0 2 * * 6,0         | 0 0 2 ? * 1,7
			0 2 * * */2         | 0 0 2 ? * 1,3,5,7
			0 2 * * 1/2         | 0 0 2 ? * 2,4,6
			0 2 * * 0-6         | 0 0 2 ? * *
			0 2 * * mon-fri     | 0 0 2 ? * 2-6
			0 2 * * SUN,Wed     | 0 0 2 ? * 1,4
			0 2 * * 1-3,5       | 0 0 2 ? * 2-4,6
			0 9 * JAN,jul *     | 0 0 9 * JAN,jul ?
			0 2 ? * *           | 0 0 2 * * ?
			""")
	void crontabLinesGetSecondsZeroQuartzDayNumbersAndAQuestionMark(String crontab, String quartz) {
		assertThat(CronSyntax.toQuartz(crontab)).isEqualTo(quartz);
	}

	@ParameterizedTest(name = "{0} -> {1}")
	@CsvSource(delimiter = '|', textBlock = """
			0 0 2 * * ?           | 0 0 2 * * ?
			0 0 2 ? * MON-FRI     | 0 0 2 ? * MON-FRI
			0 0 2 ? * MON#1       | 0 0 2 ? * MON#1
			0 0 2 L * ?           | 0 0 2 L * ?
			0 0 2 * * ? 2030      | 0 0 2 * * ? 2030
			0 0 2 * * *           | 0 0 2 * * ?
			0 0 2 15 * *          | 0 0 2 15 * ?
			0 0 2 * * MON         | 0 0 2 ? * MON
			'  0   0 2 * * ?  '   | 0 0 2 * * ?
			""")
	void quartzExpressionsPassThroughAndStarStarDayFieldsAreAccepted(String input, String quartz) {
		assertThat(CronSyntax.toQuartz(input)).isEqualTo(quartz);
	}

	@Test
	void crontabWithBothDayFieldsRestrictedIsRefusedExplainingQuartzCannotCombineThem() {
		assertThatExceptionOfType(InvalidScheduleException.class).isThrownBy(() -> CronSyntax.toQuartz("0 2 1 * 1"))
			.withMessage(
					"the cron expression '0 2 1 * 1' restricts both the day of the month (1) and the day of the week "
							+ "(1): crontab runs it on the days that match EITHER field, and Quartz cannot combine the two day "
							+ "fields at all (neither OR nor AND): split it into two schedules, '0 2 1 * *' and '0 2 * * 1'");
	}

	@Test
	void quartzWithBothDayFieldsRestrictedIsRefusedWithTheQuartzWay() {
		assertThatExceptionOfType(InvalidScheduleException.class).isThrownBy(() -> CronSyntax.toQuartz("0 0 2 1 * MON"))
			.withMessageStartingWith("the cron expression '0 0 2 1 * MON' restricts both the day of the month (1) and "
					+ "the day of the week (MON): Quartz can restrict only one of the two day fields (it cannot AND them)")
			.withMessageContaining("'0 0 2 ? * MON#1'");
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|',
			textBlock = """
					0 61 * * * ?      | the minute field '61' of '0 61 * * * ?' is not valid (Minute and Second values must be between 0 and 59)
					0 0 25 * * ?      | the hour field '25' of '0 0 25 * * ?' is not valid (Hour values must be between 0 and 23)
					0 0 2 32 * ?      | the day-of-month field '32' of '0 0 2 32 * ?' is not valid (Day of month values must be between 1 and 31)
					0 0 2 * 13 ?      | the month field '13' of '0 0 2 * 13 ?' is not valid (Month values must be between 1 and 12)
					0 0 2 ? * 8       | the day-of-week field '8' of '0 0 2 ? * 8' is not valid (Day-of-Week values must be between 1 and 7)
					x 0 2 * * ?       | the second field 'x' of 'x 0 2 * * ?' is not valid (not a number, name, range, step or list that Quartz understands)
					0 0 2 * * ? abc   | the year field 'abc' of '0 0 2 * * ? abc' is not valid (Illegal characters for this position: 'ABC')
					60 2 * * *        | the minute field '60' of '60 2 * * *' is not valid (Minute and Second values must be between 0 and 59)
					0 24 * * *        | the hour field '24' of '0 24 * * *' is not valid (Hour values must be between 0 and 23)
					0 2 * 13 *        | the month field '13' of '0 2 * 13 *' is not valid (Month values must be between 1 and 12)
					""")
	void aBadFieldIsNamedWithQuartzsReasonAndAnExample(String cron, String message) {
		assertThatExceptionOfType(InvalidScheduleException.class).isThrownBy(() -> CronSyntax.toQuartz(cron))
			.withMessage(message + ": " + CronSyntax.EXAMPLES);
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|',
			textBlock = """
					0 2 * * 8        | the day-of-week field '8' is not valid (8 is out of range)
					0 2 * * fri-mon  | the day-of-week field 'fri-mon' is not valid (the range fri-mon runs backwards; crontab ranges go from low to high)
					0 2 * * funday   | the day-of-week field 'funday' is not valid ('funday' is not a day)
					0 2 * * 1/0      | the day-of-week field '1/0' is not valid (a step must be at least 1)
					""")
	void aBadCrontabDayOfWeekSaysHowCrontabNumbersDays(String cron, String message) {
		assertThatExceptionOfType(InvalidScheduleException.class).isThrownBy(() -> CronSyntax.toQuartz(cron))
			.withMessageStartingWith(message + ": crontab days are 0-7 (0 and 7 are Sunday) or SUN-SAT");
	}

	@Test
	void theWrongNumberOfFieldsAnEmptyExpressionOrAnUnknownMacroAreRefusedWithTheForms() {
		assertThatExceptionOfType(InvalidScheduleException.class).isThrownBy(() -> CronSyntax.toQuartz("0 2 * *"))
			.withMessageStartingWith("the cron expression '0 2 * *' has 4 fields: use 5 (crontab: minute hour "
					+ "day-of-month month day-of-week) or 6-7 (Quartz: second minute hour day-of-month month day-of-week "
					+ "[year]), e.g.");
		assertThatExceptionOfType(InvalidScheduleException.class).isThrownBy(() -> CronSyntax.toQuartz("  "))
			.withMessageStartingWith("the cron expression is empty");
		assertThatExceptionOfType(InvalidScheduleException.class).isThrownBy(() -> CronSyntax.toQuartz(null))
			.withMessageStartingWith("the cron expression is empty");
		assertThatExceptionOfType(InvalidScheduleException.class).isThrownBy(() -> CronSyntax.toQuartz("@reboot"))
			.withMessageStartingWith("unknown cron macro '@reboot': use @yearly, @annually, @monthly, @weekly, @daily, "
					+ "@midnight or @hourly");
	}

	@Test
	void anUnknownZoneIsRefusedNamingIanaExamplesAndAnExpressionThatNeverFiresToo() {
		Instant now = Instant.parse("2026-11-27T12:00:00Z");
		assertThatExceptionOfType(InvalidScheduleException.class)
			.isThrownBy(() -> CronSchedule.parse("@daily", "Europe/Berln", ZoneId.of("UTC"), now))
			.withMessage("unknown time zone 'Europe/Berln': use an IANA zone name such as Europe/Berlin, "
					+ "America/New_York or UTC (leave it out for the daemon's zone, UTC)");
		assertThatExceptionOfType(InvalidScheduleException.class)
			.isThrownBy(() -> CronSchedule.parse("0 0 0 30 2 ?", null, ZoneId.of("UTC"), now))
			.withMessageStartingWith("the cron expression '0 0 0 30 2 ?' never fires after now");
		assertThatExceptionOfType(InvalidScheduleException.class)
			.isThrownBy(() -> CronSchedule.parse("0 0 2 * * ? 2020", null, ZoneId.of("UTC"), now))
			.withMessageStartingWith("the cron expression '0 0 2 * * ? 2020' never fires after now");
		CronSchedule berlin = CronSchedule.parse(" 0 2 * * * ", " Europe/Berlin ", ZoneId.of("UTC"), now);
		assertThat(berlin).isEqualTo(new CronSchedule("0 2 * * *", "0 0 2 * * ?", ZoneId.of("Europe/Berlin")));
		assertThat(CronSchedule.parse("@daily", null, ZoneId.of("Asia/Tokyo"), now).zone())
			.isEqualTo(ZoneId.of("Asia/Tokyo"));
	}

}
