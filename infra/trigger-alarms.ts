/**
 * Alarms for one trigger function. Cognito turns every trigger error, throttle or timeout into a failed
 * sign-up or sign-in for a real user, so any error or throttle alarms; p99 duration over 3 s alarms
 * because the handlers are designed to answer within about 3 s and Cognito gives up at 5 s.
 */
import { Duration } from "aws-cdk-lib";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import * as actions from "aws-cdk-lib/aws-cloudwatch-actions";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import type * as sns from "aws-cdk-lib/aws-sns";
import { Construct } from "constructs";

export const DURATION_ALARM_THRESHOLD = Duration.seconds(3);
const PERIOD = Duration.minutes(1);

export interface TriggerAlarmsProps {
  readonly trigger: string;
  readonly function: lambda.IFunction;
  readonly topic?: sns.ITopic;
}

export class TriggerAlarms extends Construct {
  readonly errors: cloudwatch.Alarm;
  readonly throttles: cloudwatch.Alarm;
  readonly slowAnswers: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: TriggerAlarmsProps) {
    super(scope, id);
    const fn = props.function;
    const common = {
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    };
    this.errors = fn.metricErrors({ period: PERIOD, statistic: "Sum" }).createAlarm(this, "Errors", {
      ...common,
      alarmDescription: `The Cognito ${props.trigger} trigger failed: users saw an error`,
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    });
    this.throttles = fn.metricThrottles({ period: PERIOD, statistic: "Sum" }).createAlarm(this, "Throttles", {
      ...common,
      alarmDescription: `The Cognito ${props.trigger} trigger was throttled: users saw an error`,
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    });
    this.slowAnswers = fn
      .metricDuration({ period: Duration.minutes(5), statistic: "p99" })
      .createAlarm(this, "SlowAnswers", {
        ...common,
        alarmDescription: `The Cognito ${props.trigger} trigger's p99 duration is over 3 s (Cognito gives up at 5 s)`,
        threshold: DURATION_ALARM_THRESHOLD.toMilliseconds(),
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      });

    if (props.topic) {
      const action = new actions.SnsAction(props.topic);
      for (const alarm of [this.errors, this.throttles, this.slowAnswers]) {
        alarm.addAlarmAction(action);
        alarm.addOkAction(action);
      }
    }
  }
}
