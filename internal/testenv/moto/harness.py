"""moto_server for ecsdoctor's integration tests.

Runs moto's ThreadedMotoServer in this process so that it can (1) patch the
moto infidelities that break aws-sdk-go-v2 or make ECS tasks look unlike AWS's,
and (2) inject what moto never produces (service events, failed rollouts,
stop codes, container reasons and health). Everything else goes through the
real AWS wire protocol. See /work/shared/notes/moto.md for the measured facts
each patch cites.

Usage: python3 harness.py --port 0
Prints "READY <port>" once it accepts connections; exits when stdin closes,
so a crashed test process never leaks the server.

Injection (JSON bodies, camelCase like the ECS API, times as epoch seconds):
  POST /_ecsdoctor/inject/service
    {cluster, service, runningCount?, pendingCount?, createdAt?,
     events?: [{message, createdAt?, id?}]  (newest first; replaces),
     deployment?: {id?, status?, rolloutState?, rolloutStateReason?,
                   failedTasks?, runningCount?, pendingCount?, desiredCount?,
                   createdAt?, updatedAt?}  (patches the PRIMARY deployment)}
  POST /_ecsdoctor/inject/task
    {cluster, task (ARN or id), lastStatus?, desiredStatus?, stopCode?,
     stoppedReason?, healthStatus?, createdAt?, startedAt?, stoppingAt?,
     stoppedAt?, containers?: [{name, lastStatus?, reason?, exitCode?,
                                healthStatus?}]}
  Both take optional "account" and "region" (default 123456789012, us-east-1).
  A time given as null clears the field (a task that never started has no
  startedAt).
"""

import os

# Must be set before moto is imported: the IAM backend reads it at import.
os.environ["MOTO_IAM_LOAD_MANAGED_POLICIES"] = "true"

import argparse  # noqa: E402
import json  # noqa: E402
import logging  # noqa: E402
import sys  # noqa: E402
from datetime import datetime, timezone  # noqa: E402
from types import SimpleNamespace  # noqa: E402

try:
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ec2.models import ec2_backends
    from moto.ec2.models.elastic_network_interfaces import NetworkInterface
    from moto.ec2.utils import generate_dns_from_ip
    from moto.ecs import models as ecs
    from moto.ecs import responses as ecs_responses
    from moto.iam import models as iam
    from moto.moto_api import state_manager
    from moto.moto_api._internal import mock_random
    from moto.moto_server.threaded_moto_server import ThreadedMotoServer
    from moto.moto_server.werkzeug_app import (
        DomainDispatcherApplication,
        create_backend_app,
    )
    from werkzeug.serving import make_server
    from werkzeug.wrappers import Request, Response
except ImportError as err:  # the Go side maps exit code 3 to "skip: no moto"
    print(f"moto is not importable: {err}", file=sys.stderr)
    sys.exit(3)

MANUAL_TASKS = {"progression": "manual", "times": 1000000}


def now():
    return datetime.now(timezone.utc)


# ---------------------------------------------------------------- patches


def patch_container_numbers():
    """moto.md: containers[].cpu/memory go out as JSON numbers, and the Go SDK
    fails to decode RunTask/StopTask/DescribeTasks ("expected string, got 0").
    AWS sends them as strings."""
    init = ecs.Container.__init__

    def patched(self, task_def):
        init(self, task_def)
        self.cpu = None if self.cpu is None else str(self.cpu)
        self.memory = None if self.memory is None else str(self.memory)

    ecs.Container.__init__ = patched


def patch_missing_container_memory():
    """moto.md: RunTask is an HTTP 500 when a container has no container-level
    memory/memoryReservation (moto adds None to an int). Fargate task
    definitions rarely set it; count it as 0 like AWS does for placement."""
    calc = ecs.EC2ContainerServiceBackend._calculate_task_resource_requirements
    keys = ("memory", "memoryReservation", "Memory", "MemoryReservation")

    def patched(task_definition):
        defs = [
            d if any(d.get(k) is not None for k in keys) else {**d, "memory": 0}
            for d in task_definition.container_definitions
        ]
        return calc(SimpleNamespace(container_definitions=defs))

    ecs.EC2ContainerServiceBackend._calculate_task_resource_requirements = (
        staticmethod(patched)
    )


def patch_eni_dns_name():
    """moto.md: RunTask is an HTTP 500 while the VPC has
    enableDnsHostnames=false: moto gives the task's ENI no private_dns_name
    and the task then reads it. AWS always names a private IPv4 address
    (ip-10-0-1-5.ec2.internal), whatever the VPC attribute says."""
    init = NetworkInterface.__init__

    def patched(self, *args, **kwargs):
        init(self, *args, **kwargs)
        if getattr(self, "private_dns_name", None) is None:
            self.private_dns_name = generate_dns_from_ip(self.private_ip_address)

    NetworkInterface.__init__ = patched


def patch_task_ip_in_subnet():
    """moto.md: task ENI addresses are random 10.x.y.z outside the subnet.
    With no address given, moto's ENI picks one inside the subnet's CIDR,
    which is what AWS does and what log lines naming the task's IP need."""
    ecs.random_private_ip = lambda *args, **kwargs: None


def patch_task_shape():
    """moto gives tasks UUID ids (AWS: 32 hex digits, as service events
    print them), builds one container (the first definition) per task,
    points containers[].taskArn at the task definition, starts every
    container as PENDING with exitCode 0 and HEALTHY, and omits
    createdAt/startedAt and the task's AZ, cpu and memory. Make a new task
    look like a RUNNING Fargate task as DescribeTasks shows it on AWS.
    (mock_random keeps ids repeatable under /moto-api/seed.)"""
    init = ecs.Task.__init__

    def patched(self, cluster, task_definition, *args, **kwargs):
        init(self, cluster, task_definition, *args, **kwargs)
        self.id = mock_random.uuid4().hex  # before anything reads task_arn
        t = now()
        self.created_at = t
        self.started_at = t
        self.cpu = task_definition.cpu
        self.memory = task_definition.memory
        self.health_status = "UNKNOWN"
        self.connectivity = "CONNECTED"
        ip = None
        for attachment in self.attachments:
            details = {d["name"]: d["value"] for d in attachment["details"]}
            ip = details.get("privateIPv4Address")
            subnet = ec2_backends[self._account_id][self.region_name].get_subnet(
                details["subnetId"]
            )
            self.availability_zone = subnet.availability_zone
        self.containers = []
        for definition in task_definition.container_definitions:
            # moto's Container reads only arn and container_definitions[0].
            c = ecs.Container(SimpleNamespace(
                arn=task_definition.arn, container_definitions=[definition]))
            c.container_arn = self.task_arn.replace(":task/", ":container/", 1) + (
                "/" + str(mock_random.uuid4()))
            c.task_arn = self.task_arn
            c.last_status = "RUNNING"
            c.exitCode = None
            c.health_status = "UNKNOWN"
            if ip:
                c.network_interfaces = [
                    {"attachmentId": self.attachments[0]["id"],
                     "privateIpv4Address": ip}
                ]
            self.containers.append(c)

    ecs.Task.__init__ = patched


def patch_stop_task():
    """moto's StopTask sets stoppedReason only (moto.md). AWS also records
    stopCode UserInitiated, stoppingAt/stoppedAt and stops the containers;
    injection may overwrite any of these afterwards."""
    stop = ecs.EC2ContainerServiceBackend.stop_task

    def patched(self, cluster_str, task_str, reason):
        task = stop(self, cluster_str, task_str, reason)
        t = now()
        task.stop_code = "UserInitiated"
        task.stopping_at = t
        task.stopped_at = t
        for c in task.containers:
            c.last_status = "STOPPED"
        return task

    ecs.EC2ContainerServiceBackend.stop_task = patched


def patch_list_tasks():
    """moto.md: ListTasks ignores serviceName and, without desiredStatus,
    returns every task. AWS filters on the service (tasks whose group is
    "service:NAME") and defaults desiredStatus to RUNNING."""
    list_tasks = ecs.EC2ContainerServiceBackend.list_tasks

    def patched(self, cluster_str=None, container_instance=None, family=None,
                started_by=None, service_name=None, desiredStatus=None):
        tasks = list_tasks(self, cluster_str, container_instance, family,
                           started_by, None, desiredStatus or "RUNNING")
        if service_name:
            group = "service:" + service_name.split("/")[-1]
            tasks = [t for t in tasks if t.group == group]
        return tasks

    ecs.EC2ContainerServiceBackend.list_tasks = patched


def patch_service_shape():
    """moto drops CreateService's deploymentConfiguration (so the deployment
    circuit breaker never shows in DescribeServices) and gives services no
    createdAt. Keep both, as AWS does."""
    create = ecs_responses.EC2ContainerServiceResponse.create_service

    def patched(self):
        result = create(self)
        svc = self.ecs_backend._get_service(
            self._get_param("cluster", "default"), self._get_param("serviceName"))
        svc.created_at = now()
        config = self._get_param("deploymentConfiguration")
        if config is not None:
            svc.deployment_configuration = config
        return result

    ecs_responses.EC2ContainerServiceResponse.create_service = patched


def patch_update_service():
    """moto's UpdateService stores the new task definition or network
    configuration on the service but neither starts a deployment nor
    updates the PRIMARY one (moto.md), and keeps an injected FAILED rollout
    after force-new-deployment. AWS starts a new PRIMARY deployment, IN
    PROGRESS, with the service's new configuration: model that much."""
    update = ecs.EC2ContainerServiceBackend.update_service

    def patched(self, service_properties):
        changes = (service_properties.get("task_definition") or service_properties.get("network_configuration")
                   or service_properties.get("force_new_deployment"))
        svc = update(self, service_properties)
        if changes and svc.deployments:
            d = svc.deployments[0]
            d["taskDefinition"] = svc.task_definition
            d["networkConfiguration"] = svc.network_configuration
            d["rolloutState"] = "IN_PROGRESS"
            d["rolloutStateReason"] = f"ECS deployment {d['id']} in progress."
            d["failedTasks"] = 0
            d["createdAt"] = d["updatedAt"] = now()
        return svc

    ecs.EC2ContainerServiceBackend.update_service = patched


def patch_modify_vpc_endpoint_private_dns():
    """moto's ModifyVpcEndpoint ignores PrivateDnsEnabled (moto.md notes
    --no-private-dns-enabled is ignored; turning it on is ignored too).
    Apply it, as AWS does."""
    from moto.ec2.responses import vpcs as vpc_responses
    modify = vpc_responses.VPCs.modify_vpc_endpoint

    def patched(self):
        result = modify(self)
        flag = self._get_param("PrivateDnsEnabled")
        if flag is not None:
            endpoint = self.ec2_backend.describe_vpc_endpoints(vpc_end_point_ids=[self._get_param("VpcEndpointId")])[0]
            endpoint.private_dns_enabled = str(flag).lower() == "true"
        return result

    vpc_responses.VPCs.modify_vpc_endpoint = patched


def patch_account_lookup():
    """Speed, not fidelity: every request maps its access key to an account
    by scanning the IAM backend of every partition (aws, aws-cn, aws-us-gov,
    ...), creating those that do not exist, and with
    MOTO_IAM_LOAD_MANAGED_POLICIES each new one loads ~1,500 AWS managed
    policies: the first request after each reset took 0.6-2.8 s. Scan only
    the IAM backends that exist; an access key cannot live in any other."""
    def get_account_id_from(access_key):
        for account_id, account in list(iam.iam_backends.items()):
            for backend in list(account.values()):
                if access_key in backend.access_keys:
                    return account_id
        return DEFAULT_ACCOUNT_ID

    iam.get_account_id_from = get_account_id_from


# -------------------------------------------------------------- injection


class InjectError(Exception):
    def __init__(self, status, message):
        super().__init__(message)
        self.status = status


def epoch(value):
    """Epoch seconds to a datetime; null clears the field (AWS omits it)."""
    return None if value is None else datetime.fromtimestamp(float(value), tz=timezone.utc)


def apply(obj, body, fields, times, setter=setattr):
    """Copy the known keys of body onto obj; refuse unknown ones so that a
    typo on the Go side fails loudly instead of silently doing nothing."""
    for key, value in body.items():
        if key in fields:
            setter(obj, fields[key], value)
        elif key in times:
            setter(obj, times[key], epoch(value))
        else:
            raise InjectError(400, f"unknown field {key!r}")


def backend(body):
    account = body.pop("account", DEFAULT_ACCOUNT_ID)
    region = body.pop("region", "us-east-1")
    return ecs.ecs_backends[account][region]


def inject_service(body):
    be = backend(body)
    cluster = body.pop("cluster").split("/")[-1]
    name = body.pop("service").split("/")[-1]
    svc = be.services.get(f"{cluster}:{name}")
    if svc is None:
        raise InjectError(404, f"no service {name} in cluster {cluster}")
    for key, attr in (("runningCount", "running_count"),
                      ("pendingCount", "pending_count")):
        if key in body:
            value = body.pop(key)
            setattr(svc, attr, value)
            for d in svc.deployments[:1]:  # the PRIMARY deployment counts too
                d[key] = value
    if "createdAt" in body:
        svc.created_at = epoch(body.pop("createdAt"))
    if "events" in body:
        svc.events = [
            {"id": e.get("id") or str(mock_random.uuid4()),
             "createdAt": epoch(e["createdAt"]) if "createdAt" in e else now(),
             "message": e["message"]}
            for e in body.pop("events")
        ]
    if "deployment" in body:
        if not svc.deployments:
            raise InjectError(400, f"service {name} has no deployment")
        apply(svc.deployments[0], body.pop("deployment"),
              {k: k for k in ("id", "status", "rolloutState",
                              "rolloutStateReason", "failedTasks",
                              "runningCount", "pendingCount", "desiredCount")},
              {"createdAt": "createdAt", "updatedAt": "updatedAt"},
              setter=dict.__setitem__)
    if body:
        raise InjectError(400, f"unknown fields {sorted(body)}")


TASK_FIELDS = {"lastStatus": "last_status", "desiredStatus": "desired_status",
               "stopCode": "stop_code", "stoppedReason": "stopped_reason",
               "healthStatus": "health_status"}
TASK_TIMES = {"createdAt": "created_at", "startedAt": "started_at",
              "stoppingAt": "stopping_at", "stoppedAt": "stopped_at"}
CONTAINER_FIELDS = {"lastStatus": "last_status", "reason": "reason",
                    "exitCode": "exitCode", "healthStatus": "health_status"}


def inject_task(body):
    be = backend(body)
    cluster = body.pop("cluster").split("/")[-1]
    ref = body.pop("task")
    task_id = ref.split("/")[-1]
    task = next((t for arn, t in be.tasks.get(cluster, {}).items()
                 if arn.split("/")[-1] == task_id), None)
    if task is None:
        raise InjectError(404, f"no task {ref} in cluster {cluster}")
    for patch in body.pop("containers", []):
        name = patch.pop("name")
        c = next((c for c in task.containers if c.name == name), None)
        if c is None:
            raise InjectError(404, f"task {task_id} has no container {name}")
        apply(c, patch, CONTAINER_FIELDS, {})
    apply(task, body, TASK_FIELDS, TASK_TIMES)


ROUTES = {"/_ecsdoctor/inject/service": inject_service,
          "/_ecsdoctor/inject/task": inject_task}


class Injector:
    """WSGI middleware: serves the injection routes, passes the rest to moto."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        handler = ROUTES.get(environ.get("PATH_INFO", ""))
        if handler is None:
            return self.app(environ, start_response)
        request = Request(environ)
        try:
            if request.method != "POST":
                raise InjectError(405, "POST only")
            handler(json.loads(request.get_data() or b"{}"))
            response = Response("{}", 200, mimetype="application/json")
        except InjectError as err:
            response = error(err.status, str(err))
        except (AttributeError, KeyError, TypeError, ValueError) as err:
            response = error(400, f"bad request: {err!r}")
        return response(environ, start_response)


def error(status, message):
    return Response(json.dumps({"error": message}), status,
                    mimetype="application/json")


class Server(ThreadedMotoServer):
    """ThreadedMotoServer whose WSGI app is wrapped by the Injector."""

    def _server_entry(self):
        app = Injector(DomainDispatcherApplication(create_backend_app))
        self._server = make_server(self._ip_address, self._port, app, True)
        self._server_ready_event.set()
        self._server.serve_forever()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    args = parser.parse_args()

    for patch in (patch_container_numbers, patch_missing_container_memory,
                  patch_eni_dns_name, patch_task_ip_in_subnet, patch_task_shape,
                  patch_stop_task, patch_list_tasks, patch_service_shape,
                  patch_update_service, patch_modify_vpc_endpoint_private_dns,
                  patch_account_lookup):
        patch()
    # moto.md: by default a task walks RUNNING -> STOPPED over four
    # DescribeTasks calls; tests need states to stay as set.
    state_manager.set_transition("ecs::task", MANUAL_TASKS)
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no access log

    server = Server(ip_address="127.0.0.1", port=args.port, verbose=False)
    server.start()  # returns once the socket listens
    print(f"READY {server.get_host_and_port()[1]}", flush=True)
    sys.stdin.read()  # returns at EOF: the test process closed us or died
    server.stop()


if __name__ == "__main__":
    main()
