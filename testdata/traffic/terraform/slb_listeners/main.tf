terraform {
  required_providers {
    alicloud = {
      source = "aliyun/alicloud"
    }
  }
}

# The ecslocal endpoint (host:port), e.g. -var endpoint=127.0.0.1:8790.
variable "endpoint" {
  type = string
}

provider "alicloud" {
  access_key             = "test"
  secret_key             = "test"
  region                 = "cn-hangzhou"
  protocol               = "HTTP"
  skip_region_validation = true
  # Known up front, so the provider asks BssOpenApi nothing at start.
  account_type = "Domestic"
  endpoints {
    ecs = var.endpoint
    vpc = var.endpoint
    slb = var.endpoint
  }
}


# The second stage (steps: -var stage=two) renames the load balancer, reweighs
# the VServer group, and changes a setting of each listener.
variable "stage" {
  type    = string
  default = "one"
}

locals {
  two = var.stage == "two"
}

resource "alicloud_vpc" "main" {
  vpc_name   = "tf-vpc"
  cidr_block = "172.16.0.0/12"
}

resource "alicloud_vswitch" "main" {
  vswitch_name = "tf-vsw"
  vpc_id       = alicloud_vpc.main.id
  cidr_block   = "172.16.1.0/24"
  zone_id      = "cn-hangzhou-h"
}

resource "alicloud_security_group" "main" {
  security_group_name = "tf-sg"
  vpc_id              = alicloud_vpc.main.id
}

resource "alicloud_instance" "web" {
  count                = 2
  instance_name        = "tf-web-${count.index}"
  image_id             = "aliyun_3_x64_20G_alibase_20240528.vhd"
  instance_type        = "ecs.c7.large"
  vswitch_id           = alicloud_vswitch.main.id
  security_groups      = [alicloud_security_group.main.id]
  system_disk_category = "cloud_essd"
}

resource "alicloud_slb_load_balancer" "main" {
  load_balancer_name = "tf-slb-listeners-${var.stage}"
  address_type       = "intranet"
  load_balancer_spec = "slb.s1.small"
  vswitch_id         = alicloud_vswitch.main.id
  tags = {
    Environment = "test"
  }
}

resource "alicloud_slb_server_group" "web" {
  load_balancer_id = alicloud_slb_load_balancer.main.id
  name             = "tf-vsg-web"

  servers {
    server_ids = alicloud_instance.web[*].id
    port       = 80
    weight     = local.two ? 50 : 100
  }
}

resource "alicloud_slb_acl" "office" {
  name       = "tf-acl-office"
  ip_version = "ipv4"
}

resource "alicloud_slb_acl_entry_attachment" "office" {
  acl_id  = alicloud_slb_acl.office.id
  entry   = "10.0.0.0/8"
  comment = "office"
}

resource "alicloud_slb_acl_entry_attachment" "vpn" {
  acl_id  = alicloud_slb_acl.office.id
  entry   = "192.168.10.0/24"
  comment = "vpn"
}

resource "alicloud_slb_listener" "tcp" {
  load_balancer_id    = alicloud_slb_load_balancer.main.id
  frontend_port       = 22
  backend_port        = 22
  protocol            = "tcp"
  bandwidth           = -1
  established_timeout = local.two ? 900 : 600
  acl_status          = "on"
  acl_type            = "white"
  acl_ids             = [alicloud_slb_acl.office.id]
  depends_on          = [alicloud_slb_acl_entry_attachment.office, alicloud_slb_acl_entry_attachment.vpn]
}

resource "alicloud_slb_listener" "http" {
  load_balancer_id          = alicloud_slb_load_balancer.main.id
  frontend_port             = 80
  protocol                  = "http"
  bandwidth                 = -1
  server_group_id           = alicloud_slb_server_group.web.id
  sticky_session            = "off"
  health_check              = "on"
  health_check_uri          = "/healthz"
  health_check_connect_port = 80
  healthy_threshold         = 3
  unhealthy_threshold       = 3
  health_check_timeout      = 5
  health_check_interval     = local.two ? 5 : 2
  health_check_http_code    = "http_2xx,http_3xx"
  request_timeout           = 60
  idle_timeout              = 30
}
