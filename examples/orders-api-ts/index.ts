// orders-api in TypeScript: a second team's JSON API built from the papyrus component package,
// the same program as examples/orders-api (Python).
//
//     API client ──JWT──> HTTP API ──VPC link──> internal ALB ──> Fargate service (private subnets)
//
// The components run in their own provider (components/, started by Pulumi); this program only
// passes them arguments. A bad one stops `pulumi preview` with one line naming it as written
// here, such as `invalid targetPort=8080.5; expected an integer (a whole number)`.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import * as papyrus from "@papyrus/components";

const config = new pulumi.Config();
const stack = pulumi.getStack();
const port = 8080;

const awsProvider = new aws.Provider("aws", {
    region: new pulumi.Config("aws").require("region"),
    defaultTags: { tags: { app: "orders-api", stack, "managed-by": "pulumi" } },
});
// Components take providers by package name; their resources inherit it.
const opts: pulumi.ComponentResourceOptions = { providers: { aws: awsProvider } };

const network = new papyrus.PublicPrivateVpc(
    "network",
    { cidrBlock: config.require("vpcCidr"), availabilityZoneCount: 2, natStrategy: "single" },
    opts,
);
const registry = new papyrus.ContainerRegistry("images", { repositoryName: `orders-api-${stack}` }, opts);
const logs = new papyrus.ApplicationLogGroup(
    "logs",
    { logGroupName: `/ecs/orders-api/${stack}`, retentionInDays: 14 },
    opts,
);

const signingKey = new random.RandomPassword("signing-key", { length: 48, special: false });
const appConfig = new papyrus.SecureAppConfig(
    "config",
    {
        parameterPrefix: `/orders-api/${stack}`,
        secretPrefix: `orders-api/${stack}`,
        parameters: { LOG_LEVEL: "info" },
        secretGroups: { app: { signing_key: signingKey.result } },
        secretEnv: { SIGNING_KEY: "app.signing_key" },
    },
    opts,
);

const backend = new papyrus.ApplicationLoadBalancer(
    "orders",
    {
        vpcId: network.vpcId,
        subnetIds: network.privateSubnetIds,
        internal: true,
        targetPort: port,
        healthCheckPath: "/health",
    },
    opts,
);
const api = new papyrus.AuthenticatedHttpApi(
    "orders-api",
    {
        vpcId: network.vpcId,
        subnetIds: network.privateSubnetIds,
        // The listener and its port, together: the VPC link may reach the load balancer on that port only.
        listenerArn: backend.listenerArn,
        listenerPort: backend.listenerPort,
        targetSecurityGroupId: backend.securityGroupId,
        issuer: config.require("jwtIssuer"),
        audiences: [config.require("jwtAudience")],
        routes: ["GET /orders", "POST /orders", "GET /orders/{id}", "GET /health"],
        publicRoutes: ["GET /health"],
    },
    opts,
);
const service = new papyrus.FargateService(
    "orders",
    {
        vpcId: network.vpcId,
        subnetIds: network.privateSubnetIds,
        image: pulumi.interpolate`${registry.repositoryUrl}:${config.require("imageTag")}`,
        repositoryArn: registry.repositoryArn,
        containerPort: port,
        desiredCount: config.requireNumber("desiredCount"),
        secrets: appConfig.containerSecrets,
        secretsReadPolicyJson: appConfig.readPolicyJson,
        logGroupName: logs.logGroupName,
        logGroupArn: logs.logGroupArn,
        loadBalancers: [
            {
                name: "orders",
                targetGroupArn: backend.targetGroupArn,
                securityGroupId: backend.securityGroupId,
                listenerArn: backend.listenerArn,
                // Checked against containerPort: a mismatch fails before any rule opens a port.
                targetPort: backend.targetPort,
            },
        ],
    },
    opts,
);

// What a team adds next: an alarm on the service's 5XX answers, by the load balancer's metric dimensions.
new aws.cloudwatch.MetricAlarm(
    "orders-5xx",
    {
        namespace: "AWS/ApplicationELB",
        metricName: "HTTPCode_Target_5XX_Count",
        dimensions: { LoadBalancer: backend.loadBalancerArnSuffix, TargetGroup: backend.targetGroupArnSuffix },
        statistic: "Sum",
        period: 300,
        evaluationPeriods: 1,
        threshold: 10,
        comparisonOperator: "GreaterThanThreshold",
        treatMissingData: "notBreaching",
    },
    { provider: awsProvider },
);

export const apiEndpoint = api.apiEndpoint;
export const taskRoleName = service.taskRoleName;
export const repositoryUrl = registry.repositoryUrl;
export const serviceName = service.serviceName;
